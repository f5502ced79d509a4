import { createHash, timingSafeEqual } from 'crypto';
import fastifyBasicAuth from '@fastify/basic-auth';
import type { FastifyInstance } from 'fastify';
import { UNAUTHORIZED_MESSAGE } from './rest-errors';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** HTTP basic authentication on every request: 401 with Kafka's message and a WWW-Authenticate challenge. */
export async function installBasicAuth(app: FastifyInstance, users: Map<string, string>): Promise<void> {
  const hashed = new Map([...users].map(([u, p]) => [u, digest(p)]));
  await app.register(fastifyBasicAuth, {
    authenticate: { realm: 'Kafka Connect' },
    strictCredentials: false,
    validate: async (username, password) => {
      const expected = hashed.get(username);
      // Compared in constant time; an unknown user costs the same as a wrong password.
      const ok = timingSafeEqual(expected ?? digest(`${password}\0`), digest(password)) && expected !== undefined;
      if (!ok) throw Object.assign(new Error(UNAUTHORIZED_MESSAGE), { statusCode: 401 });
    },
  });
  app.addHook('onRequest', app.basicAuth);
}
