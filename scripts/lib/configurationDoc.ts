/**
 * docs/configuration.md, generated from the settings table (src/config/settings.ts) so that the
 * documented variables, defaults and descriptions cannot drift from what the service reads.
 */
import { fileURLToPath } from 'node:url';
import { describeSettings } from '../../src/config/settings.ts';

/** Where the generated document lives. */
export const CONFIGURATION_DOC = fileURLToPath(new URL('../../docs/configuration.md', import.meta.url));

function formatDefault(value: unknown): string {
  if (value === '' || value === undefined) return '(empty)';
  if (value === 'the number of CPUs') return value;
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

/** The whole document. */
export function renderConfigurationDoc(): string {
  const rows = describeSettings().map(
    (s) => `| \`${s.env}\` | \`${s.key}\` | ${formatDefault(s.default)} | ${s.description.replaceAll('|', '\\|')} |`,
  );
  return [
    '# Configuration',
    '',
    'Generated from `src/config/settings.ts` by `make docs`; a unit test fails when it is stale.',
    'Every option is an environment variable, validated at start-up (the service exits with the list',
    'of problems when one is invalid). In the Helm chart each one is `config.<key>` in `values.yaml`.',
    '',
    '| variable | chart value `config.` | default | meaning |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
