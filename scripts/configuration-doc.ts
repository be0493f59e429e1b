/** `make docs`: writes docs/configuration.md from the settings table. */
import { writeFileSync } from 'node:fs';
import { CONFIGURATION_DOC, renderConfigurationDoc } from './lib/configurationDoc.ts';

writeFileSync(CONFIGURATION_DOC, renderConfigurationDoc());
console.log(`wrote ${CONFIGURATION_DOC}`);
