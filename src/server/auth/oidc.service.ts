import { randomUUID } from 'node:crypto';
import * as client from 'openid-client';
import { DomainError } from '../../domain/errors.js';
import type { Db, Queryable } from '../db/database.js';
import type { User } from '../../contract/auth.schema.js';
import { recordAudit } from '../audit/audit.service.js';
import type { OidcConfig } from './oidc.config.js';
import { hashToken } from './secrets.js';

/** A sign-in must come back from the provider within this time. */
const LOGIN_MINUTES = 10;
/** Marks an account that has no password (it signs in through the provider only); argon2 never verifies it. */
export const NO_PASSWORD = '!oidc';

export interface OidcOptions {
  /** Tests put themselves between the app and the provider (a tampered or expired ID token). */
  customFetch?: client.CustomFetch;
}

const refused = (message: string) => new DomainError('oidc_refused', message);

/** What went wrong, in words for the person and the log, from openid-client's error. */
function reasonOf(error: unknown): string {
  const { message = '', code = '', cause } = error as { message?: string; code?: string; cause?: { message?: string } | string };
  // openid-client says "invalid response encountered" and puts the check that failed in `cause`.
  const text = `${code} ${message} ${typeof cause === 'string' ? cause : (cause?.message ?? '')}`;
  if (/"iss"/i.test(text)) return 'the answer came from another issuer than the configured identity provider';
  if (/"exp"|expired|timestamp|"iat"/i.test(text)) return 'the ID token has expired';
  if (/signature|JWS/i.test(text)) return 'the ID token’s signature does not match (it was changed on the way)';
  if (/nonce/i.test(text)) return 'the ID token belongs to another sign-in';
  if (/invalid_grant|code/i.test(text)) return 'the identity provider no longer accepts this sign-in code';
  return 'the identity provider’s answer was not valid';
}

/**
 * [AUTH-1] Sign-in through the municipality's identity provider: authorization code flow with
 * PKCE (S256), state and nonce, the ID token's signature checked against the provider's keys.
 */
export class OidcLogin {
  private configuration: Promise<client.Configuration> | null = null;

  constructor(
    readonly config: OidcConfig,
    private readonly options: OidcOptions = {},
  ) {}

  private discover(): Promise<client.Configuration> {
    if (!this.configuration) {
      const issuer = new URL(this.config.issuer);
      // Plain HTTP only for a provider on this machine (tests, a local Keycloak).
      const local = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
      this.configuration = client
        .discovery(
          issuer,
          this.config.clientId,
          this.config.clientSecret ? { client_secret: this.config.clientSecret } : { token_endpoint_auth_method: 'none' },
          undefined,
          {
            ...(this.options.customFetch ? { [client.customFetch]: this.options.customFetch } : {}),
            execute: [client.enableNonRepudiationChecks, ...(local ? [client.allowInsecureRequests] : [])],
          },
        )
        .catch((error: unknown) => {
          this.configuration = null;
          throw new DomainError('oidc_refused', `The identity provider at ${this.config.issuer} could not be reached or described itself wrongly (${(error as Error).message})`);
        });
    }
    return this.configuration;
  }

  /** Starts a sign-in: where to send the browser, and the state its cookie binds to it. */
  async start(db: Queryable): Promise<{ url: string; state: string }> {
    const configuration = await this.discover();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    await db
      .insertInto('oidc_logins')
      .values({ state_hash: hashToken(state), code_verifier: codeVerifier, nonce, expires_at: new Date(Date.now() + LOGIN_MINUTES * 60_000) })
      .execute();
    // Old, abandoned sign-ins go as new ones start.
    await db.deleteFrom('oidc_logins').where('expires_at', '<', new Date()).execute();
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.config.redirectUri,
      scope: this.config.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state };
  }

  /**
   * [AUTH-3] Finishes a sign-in: the state must be the one this browser started (its cookie) and
   * unused; the code is exchanged once; the ID token must be signed by the provider, issued by it,
   * for us, unexpired and carry our nonce. Anything else is refused with 401 and no session.
   */
  async finish(db: Db, callbackUrl: URL, browserState: string | undefined): Promise<User> {
    const state = callbackUrl.searchParams.get('state');
    if (callbackUrl.searchParams.get('error')) {
      throw refused(`The identity provider refused the sign-in (${callbackUrl.searchParams.get('error')})`);
    }
    if (!state || !browserState || state !== browserState) throw refused('This sign-in was not started in this browser; start again from the login page');
    const pending = await db.deleteFrom('oidc_logins').where('state_hash', '=', hashToken(state)).returningAll().executeTakeFirst();
    if (!pending) throw refused('This sign-in answer was already used; start again from the login page');
    if (pending.expires_at < new Date()) throw refused('This sign-in took too long; start again from the login page');
    const configuration = await this.discover();
    let claims: client.IDToken;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: pending.code_verifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims()!;
    } catch (error) {
      throw refused(`Sign-in refused: ${reasonOf(error)}`);
    }
    return this.signIn(db, claims);
  }

  /** Which role the provider's claims give, or none. */
  roleOf(claims: Record<string, unknown>): User['role'] | null {
    const raw = claims[this.config.roleClaim];
    const values = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : []).map(String);
    if (values.some((value) => this.config.plannerValues.includes(value))) return 'planner';
    if (this.config.facilitatorValues.length === 0 || values.some((value) => this.config.facilitatorValues.includes(value))) return 'facilitator';
    return null;
  }

  /** The account for this person at this provider: found by subject, else an account with the e-mail is linked, else created. */
  private async signIn(db: Db, claims: client.IDToken): Promise<User> {
    const role = this.roleOf(claims);
    if (!role) throw new DomainError('forbidden', `Your account at ${this.config.providerName} gives no role in Innspill; ask a planner`);
    const email = typeof claims.email === 'string' ? claims.email : `${claims.sub}@${new URL(this.config.issuer).hostname}`;
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : email;
    const issuer = this.config.issuer;
    const system = { kind: 'system' as const, name: this.config.providerName };
    return db.transaction().execute(async (tx) => {
      const bySubject = await tx.selectFrom('users').selectAll().where('oidc_issuer', '=', issuer).where('oidc_subject', '=', claims.sub).forUpdate().executeTakeFirst();
      const existing =
        bySubject ??
        (await tx
          .selectFrom('users')
          .selectAll()
          .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
          .where('oidc_subject', 'is', null)
          .forUpdate()
          .executeTakeFirst());
      if (!existing) {
        const user = { id: randomUUID(), email, name, role, password_hash: NO_PASSWORD, oidc_issuer: issuer, oidc_subject: claims.sub };
        await tx.insertInto('users').values(user).execute();
        await recordAudit(tx, system, { action: 'user.created', targetType: 'user', targetId: user.id, detail: { role, via: 'oidc' } });
        return { id: user.id, email, name, role };
      }
      await tx.updateTable('users').set({ role, name, oidc_issuer: issuer, oidc_subject: claims.sub }).where('id', '=', existing.id).execute();
      // [AUDIT-1] The provider's groups decide the role; a change is a role change like any other.
      if (existing.role !== role) {
        await recordAudit(tx, system, { action: 'user.roleChanged', targetType: 'user', targetId: existing.id, detail: { from: existing.role, to: role, via: 'oidc' } });
      }
      return { id: existing.id, email: existing.email, name, role };
    });
  }
}
