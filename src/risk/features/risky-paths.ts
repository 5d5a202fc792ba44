/**
 * Paths whose changes fail more often than their size suggests: schema
 * migrations, infrastructure, authentication, configuration and dependency
 * manifests. Generic patterns over common layouts (not one repository's):
 * a path may fall into several categories.
 */
export type RiskyCategory = 'migration' | 'infra' | 'auth' | 'config' | 'deps';

const PATTERNS: Record<RiskyCategory, RegExp[]> = {
  migration: [/(^|\/)(migrations?|migrate|alembic|flyway|liquibase|schema)(\/|$)/i, /\.sql$/i],
  infra: [
    /(^|\/)(terraform|infra|infrastructure|helm|charts?|k8s|kubernetes|deploy|manifests)(\/|$)/i,
    /\.(tf|tfvars|hcl)$/i,
    /(^|\/)(Chart\.ya?ml|values[^/]*\.ya?ml|Dockerfile[^/]*|docker-compose[^/]*\.ya?ml|kustomization\.ya?ml)$/i,
  ],
  auth: [
    /(^|[/_.-])(auth|authn|authz|authentication|authori[sz]ation|oauth2?|login|sessions?|tokens?|jwt|permissions?|rbac|acl|passwords?|mfa|saml|oidc|crypto)([/_.-]|$)/i,
  ],
  config: [
    /(^|\/)(config|configs|conf|settings)(\/|$)/i,
    /(^|\/)(\.env[^/]*|[^/]*\.(conf|ini|properties|toml)|application[^/]*\.ya?ml|settings\.py)$/i,
  ],
  deps: [
    /(^|\/)(package(-lock)?\.json|yarn\.lock|pnpm-lock\.yaml|npm-shrinkwrap\.json|go\.(mod|sum)|Cargo\.(toml|lock)|requirements[^/]*\.txt|Pipfile(\.lock)?|poetry\.lock|pyproject\.toml|pom\.xml|build\.gradle(\.kts)?|gradle\.lockfile|Gemfile(\.lock)?|composer\.(json|lock))$/i,
  ],
};

export const RISKY_CATEGORIES = Object.keys(PATTERNS) as RiskyCategory[];

/** The risky categories a path falls into (empty when none). */
export function riskyCategories(path: string): RiskyCategory[] {
  const p = path.replace(/\\/g, '/');
  return RISKY_CATEGORIES.filter((c) => PATTERNS[c].some((re) => re.test(p)));
}

/** For each category, the touched paths that fall into it. */
export function riskyPathsOf(paths: readonly string[]): Map<RiskyCategory, string[]> {
  const out = new Map<RiskyCategory, string[]>();
  for (const p of paths) for (const c of riskyCategories(p)) out.set(c, [...(out.get(c) ?? []), p]);
  return out;
}
