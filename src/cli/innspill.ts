#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { commands } from './commands.js';

const usage = `innspill — participation workshops for the municipal master plan

Usage: innspill <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(14)}${command.summary}`)
  .join('\n')}

Run "innspill <command> --help" for a command's options.
Every command reads INNSPILL_DATA_DIR (default ./data) or DATABASE_URL (PostgreSQL).`;

async function main(argv: string[]): Promise<number> {
  const [first, second, ...rest] = argv;
  if (!first || first === '--help' || first === '-h') {
    console.log(usage);
    return first ? 0 : 1;
  }
  // Two-word commands ("user add") are looked up before one-word ones.
  const twoWords = second ? `${first} ${second}` : '';
  const name = twoWords in commands ? twoWords : first;
  const command = commands[name];
  if (!command) {
    console.error(`Unknown command "${first}".\n\n${usage}`);
    return 1;
  }
  const args = name === twoWords ? rest : [second, ...rest].filter((arg): arg is string => arg !== undefined);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  try {
    const parsed = parseArgs({ args, options: command.options, allowPositionals: true, strict: true });
    return await command.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
