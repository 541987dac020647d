// Checks that a Java runtime new enough for DynamoDB Local (17+) is on PATH, before anything starts.
import { execFile } from 'node:child_process';
import { JavaMissingError } from './errors.js';

export const minimumJavaMajor = 17;

const installHint = 'Install Java 17 or newer: apt-get install -y openjdk-17-jre-headless (macOS: brew install openjdk@17)';

/** Parses the major version from `java -version` output ("1.8.0_292" → 8, "17.0.15" → 17, "21" → 21). */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  // Java 8 and older report themselves as 1.x.
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** Resolves with the Java major version, or throws JavaMissingError saying what to install. */
export async function ensureJava(javaCommand = 'java'): Promise<number> {
  const output = await new Promise<string>((resolve, reject) => {
    execFile(javaCommand, ['-version'], { timeout: 15_000 }, (error, stdout, stderr) => {
      if (error) reject(error);
      // `java -version` writes to stderr; some builds use stdout.
      else resolve(`${stderr}\n${stdout}`);
    });
  }).catch((error: unknown) => {
    throw new JavaMissingError(`DynamoDB Local needs Java, but \`${javaCommand} -version\` failed. ${installHint}`, {
      cause: error,
    });
  });
  const major = parseJavaMajor(output);
  if (major === undefined || major < minimumJavaMajor) {
    const found = major === undefined ? 'an unrecognised version' : `Java ${major}`;
    throw new JavaMissingError(`DynamoDB Local needs Java ${minimumJavaMajor}+, found ${found}. ${installHint}`);
  }
  return major;
}
