// The browser test's own local stack: com.enterpriseadmin.local.LocalStack on free ports with a
// state dir of its own and the built console (web/dist), stopped (with every child) when done.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = process.env.ROOT ?? new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

function javaHome() {
  if (process.env.JAVA_HOME && existsSync(join(process.env.JAVA_HOME, 'bin/java'))) return process.env.JAVA_HOME;
  for (const d of readdirSync('/usr/lib/jvm')) {
    const release = join('/usr/lib/jvm', d, 'release');
    if (existsSync(release) && /JAVA_VERSION="(2[1-9]|[3-9]\d)/.test(readFileSync(release, 'utf8'))) return join('/usr/lib/jvm', d);
  }
  throw new Error('no JDK >= 21: set JAVA_HOME');
}

export async function startStack() {
  const classpathFile = join(ROOT, 'local/target/classpath.txt');
  if (!existsSync(classpathFile)) throw new Error(`${classpathFile} is missing: build local/ first (./mvnw -pl functions,local -DskipTests install)`);
  if (!existsSync(join(ROOT, 'web/dist/index.html'))) throw new Error('web/dist is not built: run scripts/console.sh build');
  const state = mkdtempSync(join(tmpdir(), 'console-stack-'));
  const cp = `${join(ROOT, 'local/target/classes')}:${readFileSync(classpathFile, 'utf8').trim()}`;
  const args = ['-cp', cp, 'com.enterpriseadmin.local.LocalStack', '--root', ROOT, '--state-dir', state,
    '--api-port', '0', '--invoke-port', '0', '--cognito-port', '0', '--moto-port', '0', '--schedules', 'off',
    '--web-dir', join(ROOT, 'web/dist')];
  const child = spawn(join(javaHome(), 'bin/java'), args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 120_000;
  while (!existsSync(join(state, 'stack.json')) || !/web console:/.test(output)) {
    if (child.exitCode !== null) throw new Error(`the local stack exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the local stack did not start within 120 s:\n${output}`);
    }
    await sleep(200);
  }
  const info = JSON.parse(readFileSync(join(state, 'stack.json'), 'utf8'));
  return {
    info,
    state,
    cognitoLog: join(state, 'logs/cognito.log'),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM'); // LocalStack's shutdown hook stops moto, cognito-local and the runtime
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Cognito's JSON API (cognito-local), for what a test does behind the console's back. */
export function idp(info) {
  return async (target, body) => {
    const r = await fetch(info.cognitoEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSCognitoIdentityProviderService.${target}` },
      body: JSON.stringify(body),
    });
    const json = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(`${target}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
}

/** The confirmation code cognito-local "e-mailed" to an address (it prints the message in its log). */
export async function confirmationCode(logFile, email) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    const blocks = log.split('Confirmation Code Delivery').slice(1).filter((b) => b.includes(email));
    const code = blocks.length ? /Code:\s+(\d+)/.exec(blocks[blocks.length - 1])?.[1] : undefined;
    if (code) return code;
    await sleep(100);
  }
  throw new Error(`no confirmation code for ${email} in ${logFile}`);
}
