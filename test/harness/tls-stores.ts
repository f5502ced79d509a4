import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Key and trust stores made by openssl and keytool, as an operator would make them: a CA, a server
 * certificate for localhost/127.0.0.1 and a client certificate signed by it, each in PEM, PKCS12 and
 * JKS with passwords, and a second CA nobody signed with (for handshakes that must fail).
 */
export interface TlsStores {
  dir: string;
  caPem: string;
  otherCaPem: string;
  /** PEM key + chain in one file (key not encrypted), as Kafka's PEM key store. */
  serverPem: string;
  serverKey: string;
  serverCert: string;
  clientPem: string;
  /** The client key encrypted with `pemKeyPassword`, and its certificate, in one file. */
  clientEncryptedPem: string;
  clientP12: string;
  clientJks: string;
  trustJks: string;
  trustP12: string;
  otherTrustJks: string;
  storePassword: string;
  keyPassword: string;
  pemKeyPassword: string;
}

function run(cmd: string, args: string[], cwd: string): void {
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function makeTlsStores(): TlsStores {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-stores-'));
  const storePassword = 'store-pw-1';
  const keyPassword = 'store-pw-1';
  const pemKeyPassword = 'pem-key-pw';
  const o = (...args: string[]) => run('openssl', args, dir);
  const k = (...args: string[]) => run('keytool', args, dir);
  const ca = (name: string, cn: string) => o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${cn}`);
  ca('ca', 'Test CA');
  ca('other-ca', 'Other CA');
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  const leaf = (name: string, cn: string, ext?: string) => {
    o('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    o('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', ...(ext ? ['-extfile', ext] : []));
    fs.writeFileSync(path.join(dir, `${name}.pem`), fs.readFileSync(path.join(dir, `${name}.key`), 'utf8') + fs.readFileSync(path.join(dir, `${name}.crt`), 'utf8'));
  };
  leaf('server', 'localhost', 'server.ext');
  leaf('client', 'client');
  o('pkcs8', '-topk8', '-in', 'client.key', '-out', 'client-enc.key', '-passout', `pass:${pemKeyPassword}`);
  fs.writeFileSync(path.join(dir, 'client-enc.pem'), fs.readFileSync(path.join(dir, 'client-enc.key'), 'utf8') + fs.readFileSync(path.join(dir, 'client.crt'), 'utf8'));
  o('pkcs12', '-export', '-in', 'client.crt', '-inkey', 'client.key', '-certfile', 'ca.pem', '-name', 'client', '-out', 'client.p12', '-passout', `pass:${storePassword}`);
  k('-importkeystore', '-srckeystore', 'client.p12', '-srcstoretype', 'PKCS12', '-srcstorepass', storePassword, '-destkeystore', 'client.jks', '-deststoretype', 'JKS', '-deststorepass', storePassword, '-destkeypass', keyPassword, '-noprompt');
  k('-importcert', '-noprompt', '-alias', 'ca', '-file', 'ca.pem', '-keystore', 'trust.jks', '-storetype', 'JKS', '-storepass', storePassword);
  k('-importcert', '-noprompt', '-alias', 'ca', '-file', 'ca.pem', '-keystore', 'trust.p12', '-storetype', 'PKCS12', '-storepass', storePassword);
  k('-importcert', '-noprompt', '-alias', 'other', '-file', 'other-ca.pem', '-keystore', 'other-trust.jks', '-storetype', 'JKS', '-storepass', storePassword);
  const p = (f: string) => path.join(dir, f);
  return {
    dir,
    caPem: p('ca.pem'),
    otherCaPem: p('other-ca.pem'),
    serverPem: p('server.pem'),
    serverKey: p('server.key'),
    serverCert: p('server.crt'),
    clientPem: p('client.pem'),
    clientEncryptedPem: p('client-enc.pem'),
    clientP12: p('client.p12'),
    clientJks: p('client.jks'),
    trustJks: p('trust.jks'),
    trustP12: p('trust.p12'),
    otherTrustJks: p('other-trust.jks'),
    storePassword,
    keyPassword,
    pemKeyPassword,
  };
}
