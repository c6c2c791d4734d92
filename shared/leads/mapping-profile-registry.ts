/**
 * Named mapping profiles, and resolving a name to the rules a header mapping is compiled from.
 *
 * A named profile extends the default one: its columns override the default for the same header
 * spelling and add new ones, its `ignore` list adds to them, and its `defaults` are its own.
 */
import { DEFAULT_MAPPING_PROFILE, DEFAULT_PROFILE_NAME } from './default-mapping-profile';
import { headerSpelling } from './header-spelling';
import { type MappingProfile, MappingProfileError, type MappingTarget } from './mapping-profile';

/** Validated profiles by name. */
export type MappingProfileRegistry = ReadonlyMap<string, MappingProfile>;

/** One rule of a resolved profile: the target, and which profile the rule came from. */
export interface ResolvedRule {
  readonly target: MappingTarget;
  /** `default` or the named profile's name; reported in the mapping facts. */
  readonly from: string;
}

/** A profile merged with the default one, keyed by header spelling. */
export interface ResolvedProfile {
  readonly name: string;
  readonly rules: ReadonlyMap<string, ResolvedRule>;
  readonly defaults: NonNullable<MappingProfile['defaults']>;
}

/**
 * Builds a registry from validated profiles (see `parseMappingProfile`).
 *
 * @throws MappingProfileError when two profiles share a name or one is named `default`.
 * @example createProfileRegistry([parseMappingProfile(json)]).has('acme-renewals') // true
 */
export function createProfileRegistry(profiles: readonly MappingProfile[]): MappingProfileRegistry {
  const registry = new Map<string, MappingProfile>();
  const problems: string[] = [];
  for (const profile of profiles) {
    if (profile.name === DEFAULT_PROFILE_NAME) problems.push(`name: "${DEFAULT_PROFILE_NAME}" is the built-in profile`);
    else if (registry.has(profile.name)) problems.push(`name: "${profile.name}" is used by two profiles`);
    else registry.set(profile.name, profile);
  }
  if (problems.length > 0) throw new MappingProfileError(problems);
  return registry;
}

/**
 * Resolves a profile name (`default` or none for the default profile) to its merged rules.
 *
 * @throws MappingProfileError when no profile has that name.
 * @example resolveProfile('acme-renewals', registry).rules.get('mobileno') // { target: 'phone1', from: 'acme-renewals' }
 */
export function resolveProfile(name: string | undefined, registry: MappingProfileRegistry): ResolvedProfile {
  const rules = new Map<string, ResolvedRule>();
  addRules(rules, DEFAULT_MAPPING_PROFILE);
  if (name === undefined || name === DEFAULT_PROFILE_NAME) {
    return { name: DEFAULT_PROFILE_NAME, rules, defaults: DEFAULT_MAPPING_PROFILE.defaults ?? {} };
  }
  const profile = registry.get(name);
  if (!profile) throw new MappingProfileError([`profile: no profile named ${JSON.stringify(name.slice(0, 64))}`]);
  addRules(rules, profile);
  return { name: profile.name, rules, defaults: profile.defaults ?? {} };
}

function addRules(rules: Map<string, ResolvedRule>, profile: MappingProfile): void {
  for (const [header, target] of Object.entries(profile.columns)) {
    rules.set(headerSpelling(header), { target, from: profile.name });
  }
  for (const header of profile.ignore ?? []) rules.set(headerSpelling(header), { target: 'ignore', from: profile.name });
}
