// Jest (unlike Node 20.19+) cannot require() the ES-module-only `strip-bom` that @microsoft/app-manifest
// loads; this CommonJS twin does the same one thing for the test runtime only (see jest.config.js).
module.exports = function stripBom(text) {
  return typeof text === 'string' && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
};
module.exports.default = module.exports;
