/** docs/configuration.md lists exactly the settings the service reads. */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { CONFIGURATION_DOC, renderConfigurationDoc } from '../../scripts/lib/configurationDoc.ts';
import { describeSettings } from '../../src/config/settings.ts';

describe('docs/configuration.md', () => {
  const doc = readFileSync(CONFIGURATION_DOC, 'utf8');

  it('is what `make docs` generates from the settings table (no drift)', () => {
    expect(doc).to.equal(renderConfigurationDoc());
  });

  it('names every environment variable', () => {
    for (const setting of describeSettings()) expect(doc).to.include(`| \`${setting.env}\` |`);
  });
});
