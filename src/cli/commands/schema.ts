// `ouro schema`: the JSON Schema of experiment configs, for editor autocompletion.
import type { Command } from 'commander';
import { COMMANDS } from './index.ts';
import { jsonSchema } from '../../config/schema.ts';

export function register(program: Command): void {
  program
    .command('schema')
    .description(COMMANDS.schema.description)
    .action(() => {
      process.stdout.write(JSON.stringify(jsonSchema(), null, 2) + '\n');
    });
}
