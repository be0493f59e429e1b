/**
 * The label and field selectors of the Kubernetes list/watch API, as the fake API server
 * understands them: `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`, ANDed by commas.
 */

type Requirement = (labels: Readonly<Record<string, string>>) => boolean;

/** Parses a label selector; an empty one matches everything. */
export function parseLabelSelector(selector: string): Requirement {
  const requirements = splitTerms(selector).map(parseTerm);
  return (labels) => requirements.every((requirement) => requirement(labels));
}

function parseTerm(term: string): Requirement {
  const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set) {
    const [, key = '', operator, list = ''] = set;
    const values = list.split(',').map((v) => v.trim());
    return operator === 'in'
      ? (labels) => Object.hasOwn(labels, key) && values.includes(labels[key] ?? '')
      : (labels) => !Object.hasOwn(labels, key) || !values.includes(labels[key] ?? '');
  }
  const inequality = /^([^!=]+)!=(.*)$/.exec(term);
  if (inequality) return (labels) => labels[inequality[1] ?? ''] !== inequality[2];
  const equality = /^([^=]+)==?(.*)$/.exec(term);
  if (equality) return (labels) => labels[equality[1] ?? ''] === equality[2];
  if (term.startsWith('!')) return (labels) => !Object.hasOwn(labels, term.slice(1));
  return (labels) => Object.hasOwn(labels, term);
}

/** Splits on commas outside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      terms.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim() !== '') terms.push(current.trim());
  return terms.filter((t) => t !== '');
}

/** Parses a field selector (`involvedObject.name=x,reason=y`, `=`, `==`, `!=`) over dotted paths. */
export function parseFieldSelector(selector: string): (object: unknown) => boolean {
  const terms = splitTerms(selector).map((term) => {
    const match = /^([^!=]+)(!=|==|=)(.*)$/.exec(term);
    if (!match) throw new Error(`bad field selector term ${term}`);
    const [, path = '', operator, value] = match;
    return { path: path.split('.'), negate: operator === '!=', value };
  });
  return (object) =>
    terms.every(({ path, negate, value }) => {
      const actual = path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], object);
      const text = typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean' ? String(actual) : '';
      return (text === value) !== negate;
    });
}
