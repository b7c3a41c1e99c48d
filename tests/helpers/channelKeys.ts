/**
 * A loopback stand-in for the Bot Framework's OpenID metadata and signing keys, with real RSA keys, so auth
 * tests sign real RS256 tokens and botbuilder verifies them exactly as in production.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';

export const CHANNEL_ISSUER = 'https://api.botframework.com';

export interface SigningKey {
  kid: string;
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
}

export function newSigningKey(kid: string): SigningKey {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

export class ChannelKeyServer {
  private server?: http.Server;
  url = '';
  constructor(private readonly published: SigningKey[]) {}

  get metadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/.well-known/openidconfiguration') {
        res.end(
          JSON.stringify({
            issuer: CHANNEL_ISSUER,
            jwks_uri: `${this.url}/v1/.well-known/keys`,
            id_token_signing_alg_values_supported: ['RS256'],
          }),
        );
      } else if (req.url === '/v1/.well-known/keys') {
        res.end(
          JSON.stringify({
            keys: this.published.map((k) => ({
              ...(k.publicKey.export({ format: 'jwk' }) as object),
              kid: k.kid,
              use: 'sig',
              alg: 'RS256',
              endorsements: ['msteams'],
            })),
          }),
        );
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/** A token as the Teams channel would send it: issuer api.botframework.com, audience the bot's app id. */
export function channelToken(
  key: SigningKey,
  claims: { audience: string; serviceUrl: string; issuer?: string; kid?: string; expiresInSec?: number },
): string {
  return jwt.sign({ serviceurl: claims.serviceUrl }, key.privateKey, {
    algorithm: 'RS256',
    keyid: claims.kid ?? key.kid,
    issuer: claims.issuer ?? CHANNEL_ISSUER,
    audience: claims.audience,
    expiresIn: claims.expiresInSec ?? 600,
  });
}
