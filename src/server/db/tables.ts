import type { Language } from '../../domain/languages.js';
import type { ColumnType, Generated, Selectable } from 'kysely';

/** Kysely's view of the tables made by ./migrations. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface SettingsTable {
  key: string;
  value: string;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: 'planner' | 'facilitator';
  password_hash: string;
  /** Set for an account signed in through the identity provider ([AUTH-2]). */
  oidc_issuer: ColumnType<string | null, string | null | undefined, string | null>;
  oidc_subject: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

/** A sign-in under way at the identity provider ([AUTH-3]); deleted when used. */
export interface OidcLoginsTable {
  state_hash: string;
  code_verifier: string;
  nonce: string;
  expires_at: Timestamp;
}

/** Append-only ([AUDIT-2]): inserted by `recordAudit`, never updated or deleted. */
export interface AuditLogTable {
  /** bigserial: a number from pg, a bigint from PGlite; present it with Number(). */
  id: Generated<number | bigint>;
  at: CreatedAt;
  actor_user_id: string | null;
  actor_name: string;
  actor_role: string;
  action: string;
  workshop_id: string | null;
  target_type: string | null;
  target_id: string | null;
  detail: Json<Record<string, unknown>>;
}

export interface UserSessionsTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface InvitationsTable {
  token_hash: string;
  role: 'planner' | 'facilitator';
  email: string | null;
  name: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface PlansTable {
  id: string;
  title: string;
  municipality: string;
  horizon_year: number;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface PerspectivesTable {
  id: string;
  plan_id: string;
  position: number;
  title: string;
  version: Generated<number>;
  archived_at: Timestamp | null;
  created_at: CreatedAt;
}

export type ItemKindColumn = 'main_goal' | 'sub_goal' | 'strategy' | 'land_use_strategy';

export interface ItemsTable {
  id: string;
  perspective_id: string;
  kind: ItemKindColumn;
  position: number;
  text: string;
  version: Generated<number>;
  archived_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface RevisionsTable {
  id: string;
  plan_id: string;
  perspective_id: string | null;
  item_id: string | null;
  action: 'created' | 'edited' | 'archived' | 'restored' | 'moved';
  before_text: string | null;
  after_text: string | null;
  author_user_id: string | null;
  created_at: CreatedAt;
}

export interface WorkshopsTable {
  id: string;
  plan_id: string;
  title: string;
  date: ColumnType<string | null, string | null | undefined, string | null>;
  state: Generated<'draft' | 'open' | 'closed'>;
  star_budget: Generated<number>;
  stars_per_item: Generated<number>;
  stars_hidden: Generated<boolean>;
  party_in_reports: Generated<boolean>;
  /** [I18N-3] What participants see first and what the reports are written in. */
  language: Generated<Language>;
  join_code: string;
  viewer_token: string;
  is_demo: Generated<boolean>;
  last_seq: Generated<number>;
  opened_at: Timestamp | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface PostersTable {
  id: string;
  workshop_id: string;
  perspective_id: string;
  part: 'goals' | 'strategies';
  position: number;
  instructions: Generated<string>;
  box_prompt: Generated<string>;
  stars_enabled: Generated<boolean>;
}

export interface GroupsTable {
  id: string;
  workshop_id: string;
  name: string;
  position: number;
  facilitator_user_id: string | null;
  stars_revealed: Generated<boolean>;
  timer_ends_at: Timestamp | null;
}

export interface ParticipantsTable {
  id: string;
  workshop_id: string;
  group_id: string;
  name: string;
  party: string | null;
  committee: string | null;
  access_token: string;
  anonymised_at: Timestamp | null;
  created_at: CreatedAt;
}

export type NoteKindColumn = 'comment' | 'rewording' | 'new_item' | 'question' | 'facilitator_note';

export type PlacedVia = 'participant' | 'facilitator' | 'planner' | 'import' | 'suggestion';

export interface NotesTable {
  id: string;
  workshop_id: string;
  poster_id: string;
  group_id: string;
  author_participant_id: string | null;
  author_user_id: string | null;
  author_name: string | null;
  written_by_user_id: string | null;
  kind: NoteKindColumn;
  text: string;
  proposed_item_kind: ItemKindColumn | null;
  reply_to_note_id: string | null;
  duplicate_of: ColumnType<string | null, string | null | undefined, string | null>;
  placed: Generated<boolean>;
  /** Who placed it ([PLACE-5]); null when nobody has yet. */
  placed_via: ColumnType<PlacedVia | null, PlacedVia | null | undefined, PlacedVia | null>;
  withdrawn_at: Timestamp | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface NoteItemsTable {
  note_id: string;
  item_id: string;
}

export interface AgreementsTable {
  note_id: string;
  participant_id: string;
  created_at: CreatedAt;
}

export interface StarsTable {
  id: string;
  workshop_id: string;
  poster_id: string;
  group_id: string;
  participant_id: string | null;
  item_id: string;
  created_at: CreatedAt;
}

export interface EventsTable {
  workshop_id: string;
  seq: number;
  type: string;
  group_id: string | null;
  poster_id: string | null;
  payload: Json<unknown>;
  created_at: CreatedAt;
}

export interface WorkshopImportsTable {
  workshop_id: string;
  source_sha256: string;
  source_name: string | null;
  report: Json<unknown>;
  created_at: CreatedAt;
}

export interface ProcessedCommandsTable {
  workshop_id: string;
  command_id: string;
  seq: number;
  created_at: CreatedAt;
}

export type AssessmentStatus = 'accepted' | 'partly' | 'rejected' | 'already_covered' | 'out_of_scope';

export interface AssessmentsTable {
  note_id: string;
  workshop_id: string;
  status: AssessmentStatus;
  justification: string;
  assessed_by: string | null;
  assessed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  version: Generated<number>;
}

export interface ThemesTable {
  workshop_id: string;
  key: string;
  label: string;
  position: number;
}

export interface NoteThemesTable {
  note_id: string;
  workshop_id: string;
  theme_key: string;
}

export interface SubmissionThemesTable {
  submission_id: string;
  workshop_id: string;
  theme_key: string;
}

export interface ThemeCorrectionsTable {
  id: string;
  workshop_id: string;
  correction: Json<unknown>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface NameClaimsTable {
  participant_id: string;
  claimed_at: CreatedAt;
}

export interface JoinRequestsTable {
  id: string;
  workshop_id: string;
  participant_id: string;
  secret_hash: string;
  created_at: CreatedAt;
  decision: 'confirmed' | 'refused' | null;
  decided_by_user_id: string | null;
  decided_at: Timestamp | null;
  used_at: Timestamp | null;
}

export interface RevisionNotesTable {
  revision_id: string;
  note_id: string;
}

export type PublicationSetting = 'none' | 'anonymous' | 'named';
export type SubmitterRole = 'private' | 'organisation' | 'business' | 'public_body';
export type ModerationStatus = 'pending' | 'published' | 'hidden';

export interface ConsultationsTable {
  id: string;
  plan_id: string;
  title: string;
  introduction: Generated<string>;
  opens_at: Timestamp;
  closes_at: Timestamp;
  publication: Generated<PublicationSetting>;
  plan_version: number;
  plan_snapshot: Json<unknown>;
  created_by: string | null;
  created_at: CreatedAt;
  version: Generated<number>;
}

export interface ConsultationReferenceCountersTable {
  year: number;
  last: number;
}

export interface SubmissionsTable {
  id: string;
  consultation_id: string;
  reference: string;
  follow_token_hash: string | null;
  name: string;
  email: string | null;
  organisation: string | null;
  role: SubmitterRole;
  text: string;
  status: Generated<ModerationStatus>;
  hidden_reason: string | null;
  copy_of: string | null;
  split_from: string | null;
  submitted_at: CreatedAt;
  version: Generated<number>;
}

export interface SubmissionItemsTable {
  submission_id: string;
  item_id: string;
}

export interface SubmissionAttachmentsTable {
  id: string;
  submission_id: string;
  position: number;
  name: string;
  media_type: string;
  bytes: number;
  sha256: string;
  storage_key: string;
  created_at: CreatedAt;
}

export interface ModerationLogTable {
  id: string;
  consultation_id: string;
  submission_id: string;
  action: string;
  detail: Json<unknown>;
  actor_user_id: string | null;
  created_at: CreatedAt;
}

export interface SubmissionAssessmentsTable {
  submission_id: string;
  consultation_id: string;
  status: AssessmentStatus;
  justification: string;
  assessed_by: string | null;
  assessed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  version: Generated<number>;
}

export interface RevisionSubmissionsTable {
  revision_id: string;
  submission_id: string;
}

export interface Database {
  oidc_logins: OidcLoginsTable;
  audit_log: AuditLogTable;
  consultations: ConsultationsTable;
  consultation_reference_counters: ConsultationReferenceCountersTable;
  submissions: SubmissionsTable;
  submission_items: SubmissionItemsTable;
  submission_attachments: SubmissionAttachmentsTable;
  moderation_log: ModerationLogTable;
  submission_assessments: SubmissionAssessmentsTable;
  revision_submissions: RevisionSubmissionsTable;
  assessments: AssessmentsTable;
  themes: ThemesTable;
  note_themes: NoteThemesTable;
  submission_themes: SubmissionThemesTable;
  theme_corrections: ThemeCorrectionsTable;
  revision_notes: RevisionNotesTable;
  name_claims: NameClaimsTable;
  join_requests: JoinRequestsTable;
  processed_commands: ProcessedCommandsTable;
  settings: SettingsTable;
  users: UsersTable;
  user_sessions: UserSessionsTable;
  invitations: InvitationsTable;
  plans: PlansTable;
  perspectives: PerspectivesTable;
  items: ItemsTable;
  revisions: RevisionsTable;
  workshops: WorkshopsTable;
  posters: PostersTable;
  groups: GroupsTable;
  participants: ParticipantsTable;
  notes: NotesTable;
  note_items: NoteItemsTable;
  agreements: AgreementsTable;
  stars: StarsTable;
  events: EventsTable;
  workshop_imports: WorkshopImportsTable;
}

export type UserRow = Selectable<UsersTable>;
export type ItemRow = Selectable<ItemsTable>;
export type PerspectiveRow = Selectable<PerspectivesTable>;
