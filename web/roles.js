// What each input is to the home view: the mains (the grid connection), a solar inverter, or a
// circuit. The config says it with an input's "role" (our addition, set in Setup ▸ Inputs and
// reported by /status); without one the name decides: "Mains", "Grid", "Main_L1", "Supply"
// are the mains, "Solar", "PV", "Inverter" a solar inverter, anything else a circuit. VTs have
// no role.

export const ROLES = ['mains', 'solar', 'circuit'];

const MAINS_NAME = /^(mains?|grid|supply|utility|incomer|service|import|total)([_\s-]?(l\d|[abc]|\d))?$|mains|grid/i;
const SOLAR_NAME = /solar|^pv|[_\s-]pv|inverter|photovoltaic/i;

// The role a name suggests.
export function guessRole(name) {
  const n = String(name || '');
  if (SOLAR_NAME.test(n)) return 'solar';
  if (MAINS_NAME.test(n)) return 'mains';
  return 'circuit';
}

// The role of a /status or config input: its own "role", else the name's; null for a VT.
export function roleOf(input) {
  if (!input || 'Vrms' in input || input.type === 'VT') return null;
  return ROLES.includes(input.role) ? input.role : guessRole(input.name);
}

// /status inputs by role: { mains: [...], solar: [...], circuits: [...] }.
export function classify(inputs) {
  const out = { mains: [], solar: [], circuits: [] };
  for (const input of inputs || []) {
    const role = roleOf(input);
    if (role === 'mains') out.mains.push(input);
    else if (role === 'solar') out.solar.push(input);
    else if (role === 'circuit') out.circuits.push(input);
  }
  return out;
}
