/** Sign-in through the municipality's identity provider ([AUTH-1]), read from the environment. */
export interface OidcConfig {
  /** OIDC_ISSUER: the provider's issuer URL (Entra ID, ID-porten, Keycloak …); discovery is read from it. */
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE alone). */
  clientSecret?: string;
  /** Where the provider sends people back: `<public URL>/api/auth/oidc/callback` unless OIDC_REDIRECT_URI. */
  redirectUri: string;
  /** Shown on the login page: "Logg inn med <name>". */
  providerName: string;
  scopes: string;
  /** The ID token claim that carries groups or roles (a string or a list), e.g. `roles` or `groups`. */
  roleClaim: string;
  /** Claim values that make a planner. */
  plannerValues: string[];
  /**
   * Claim values that make a facilitator; empty means everyone the provider signs in who is not
   * a planner (facilitators see only the groups a planner assigns them).
   */
  facilitatorValues: string[];
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

export function oidcConfigFromEnv(env: NodeJS.ProcessEnv, publicUrl: string): OidcConfig | undefined {
  const issuer = env.OIDC_ISSUER?.trim();
  if (!issuer) return undefined;
  const clientId = env.OIDC_CLIENT_ID?.trim();
  if (!clientId) throw new Error('OIDC_ISSUER is set but OIDC_CLIENT_ID is not');
  const plannerValues = list(env.OIDC_PLANNER_VALUES);
  if (plannerValues.length === 0) throw new Error('OIDC_PLANNER_VALUES must name the claim values that make a planner (e.g. "innspill-planlegger")');
  return {
    issuer,
    clientId,
    clientSecret: env.OIDC_CLIENT_SECRET || undefined,
    redirectUri: env.OIDC_REDIRECT_URI?.trim() || `${publicUrl}/api/auth/oidc/callback`,
    providerName: env.OIDC_PROVIDER_NAME?.trim() || new URL(issuer).hostname,
    scopes: env.OIDC_SCOPES?.trim() || 'openid email profile',
    roleClaim: env.OIDC_ROLE_CLAIM?.trim() || 'roles',
    plannerValues,
    facilitatorValues: list(env.OIDC_FACILITATOR_VALUES),
  };
}
