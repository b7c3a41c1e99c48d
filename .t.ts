import { findIdentifiers } from './src/core/pii';
import { FIRST_NAMES, ANY_NAMES, isOrdinaryWord, isKnownCommonWord } from './src/core/pii/lexicon';
for (const t of process.argv.slice(2)) console.log(t, '=>', JSON.stringify(findIdentifiers(t).map(f=>[f.type,f.text])));
for (const w of ['ring','call','text','phone','email','visit','see','ask','tell','check']) console.log(w, FIRST_NAMES.has(w), ANY_NAMES.has(w), isOrdinaryWord(w), isKnownCommonWord(w));
