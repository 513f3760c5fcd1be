/**
 * The six behavioural personas planted in the sample, and the event vocabulary they share.
 *
 * Every persona draws from the same 20 event types; what tells them apart is the mix, the
 * recency, the tenure or the clock, never the presence of a private event. Each pair that is
 * hard to tell apart differs strongly in one dimension only, so a good pipeline can recover
 * them and a ≤3-condition rule can describe each:
 * - report_viewer vs lapsed_viewer: same mix and daily volume; lapsed users stopped 35–80 days
 *   before the window end (recency).
 * - dashboard_builder vs workspace_admin: same daily volume, days and hours; building events vs
 *   workspace-management events (mix), admins in more, shorter sessions.
 * - api_integrator: api/webhook heavy, bursts around the clock and on weekends (mix + time).
 * - new_trialist: signed up in the last ~20 days, onboarding and template events (tenure + mix).
 */

export const EVENT_TYPES = [
  'login',
  'dashboard_viewed',
  'report_viewed',
  'search_performed',
  'filter_applied',
  'chart_edited',
  'query_run',
  'dashboard_created',
  'report_exported',
  'comment_added',
  'share_link_created',
  'alert_created',
  'user_invited',
  'settings_changed',
  'billing_viewed',
  'integration_connected',
  'api_call',
  'webhook_triggered',
  'onboarding_step_completed',
  'template_used',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export const EVENT_INDEX: Readonly<Record<EventType, number>> = Object.fromEntries(
  EVENT_TYPES.map((e, i) => [e, i]),
) as Record<EventType, number>;

export type PersonaName =
  | 'dashboard_builder'
  | 'report_viewer'
  | 'lapsed_viewer'
  | 'workspace_admin'
  | 'api_integrator'
  | 'new_trialist';

/** When in the window a persona is active, scaled to the window length. */
export type Lifecycle =
  /** Active up to the last few days of the window; some join mid-window. */
  | 'active'
  /** Active from the window start, then silent for the last 35–80 days (of 90). */
  | 'lapsed'
  /** Signs up in the last ~20 days (of 90) and is active from then on. */
  | 'trial';

/** Local-time clock the persona keeps. */
export type Clock =
  /** Sessions in (local) office hours, few on weekends. */
  | 'office'
  /** Machine bursts spread over all 24 hours and all 7 days. */
  | 'around_the_clock';

export interface Persona {
  readonly name: PersonaName;
  /** Share of users (the shares sum to 1). */
  readonly share: number;
  readonly lifecycle: Lifecycle;
  readonly clock: Clock;
  /**
   * Fewest events a user has in the window (quiet users get extra active days), so event shares
   * are never degenerate; lapsed users may have few.
   */
  readonly minEvents: number;
  /** Active users were last seen at most this many days before the window end. */
  readonly recentDays: number;
  /** Chance of being active on a weekday (per user this is jittered). */
  readonly activeProbability: number;
  /** Multiplier on activeProbability for Saturdays and Sundays. */
  readonly weekendFactor: number;
  /** Median events on an active day (per user lognormal around it). */
  readonly eventsPerDay: number;
  /** Mean number of extra sessions on an active day (Poisson). */
  readonly extraSessions: number;
  /** Mean seconds between events within a session. */
  readonly gapSeconds: number;
  /** Chance a session opens with a `login` event. */
  readonly loginProbability: number;
  /** Relative weights of the event mix (login excluded: it opens sessions). */
  readonly mix: Readonly<Partial<Record<EventType, number>>>;
  /** Role weights for users.csv: loose, so attributes hint at personas without giving them away. */
  readonly roles: Readonly<Record<string, number>>;
  /** Chance of email_opt_in = true. */
  readonly optIn: number;
}

/** Shared by active and lapsed viewers: the pair must not differ in mix. */
const VIEWER_MIX: Persona['mix'] = {
  dashboard_viewed: 34,
  report_viewed: 28,
  search_performed: 6,
  filter_applied: 10,
  chart_edited: 1.5,
  query_run: 1,
  dashboard_created: 0.4,
  report_exported: 5,
  comment_added: 3,
  share_link_created: 2,
  alert_created: 1,
  user_invited: 0.4,
  settings_changed: 0.6,
  onboarding_step_completed: 0.3,
  template_used: 0.6,
};

/** Active and lapsed viewers behave alike while they are around: same clock, volume, mix. */
const VIEWER = {
  clock: 'office',
  activeProbability: 0.18,
  weekendFactor: 0.12,
  eventsPerDay: 2.2,
  extraSessions: 0.1,
  gapSeconds: 30,
  loginProbability: 0.7,
  mix: VIEWER_MIX,
  roles: { manager: 30, executive: 18, analyst: 15, marketer: 15, finance: 12, engineer: 5, admin: 5 },
} as const;

/**
 * Builders and admins keep the same clock and daily volume; besides the mix, admins work in
 * more, shorter sessions (quick settings changes) where builders sit in one long one.
 */
const OFFICE_WORKER = {
  clock: 'office',
  minEvents: 50,
  recentDays: 3,
  activeProbability: 0.28,
  weekendFactor: 0.1,
  eventsPerDay: 6,
  loginProbability: 0.5,
} as const;

export const PERSONAS: readonly Persona[] = [
  {
    name: 'report_viewer',
    share: 0.24,
    lifecycle: 'active',
    ...VIEWER,
    minEvents: 12,
    recentDays: 3,
    optIn: 0.55,
  },
  {
    name: 'dashboard_builder',
    share: 0.2,
    lifecycle: 'active',
    ...OFFICE_WORKER,
    extraSessions: 0.1,
    gapSeconds: 130,
    mix: {
      dashboard_viewed: 16,
      report_viewed: 6,
      search_performed: 4,
      filter_applied: 6,
      chart_edited: 20,
      query_run: 16,
      dashboard_created: 6,
      report_exported: 3,
      comment_added: 3,
      share_link_created: 3,
      alert_created: 3,
      user_invited: 1.5,
      settings_changed: 2,
      billing_viewed: 0.6,
      integration_connected: 1,
      api_call: 4,
      webhook_triggered: 1.5,
      onboarding_step_completed: 1.5,
      template_used: 3,
    },
    roles: { analyst: 45, engineer: 20, manager: 12, marketer: 7, admin: 8, finance: 5, executive: 3 },
    optIn: 0.5,
  },
  {
    name: 'lapsed_viewer',
    share: 0.16,
    lifecycle: 'lapsed',
    ...VIEWER,
    minEvents: 5,
    recentDays: 0, // unused: the lifecycle sets the last day 35–80 days before the end
    optIn: 0.45,
  },
  {
    name: 'new_trialist',
    share: 0.15,
    lifecycle: 'trial',
    clock: 'office',
    minEvents: 12,
    recentDays: 2,
    activeProbability: 0.7,
    weekendFactor: 0.25,
    eventsPerDay: 6,
    extraSessions: 0.25,
    gapSeconds: 75,
    loginProbability: 0.6,
    mix: {
      dashboard_viewed: 14,
      report_viewed: 7,
      search_performed: 6,
      filter_applied: 4,
      chart_edited: 7,
      query_run: 4,
      dashboard_created: 5,
      report_exported: 1,
      comment_added: 1,
      share_link_created: 2,
      alert_created: 1,
      user_invited: 3.5,
      settings_changed: 3,
      billing_viewed: 2.5,
      integration_connected: 2.5,
      api_call: 0.8,
      webhook_triggered: 0.3,
      onboarding_step_completed: 11,
      template_used: 10,
    },
    roles: { analyst: 25, manager: 25, executive: 15, marketer: 15, engineer: 10, admin: 5, finance: 5 },
    optIn: 0.7,
  },
  {
    name: 'workspace_admin',
    share: 0.14,
    lifecycle: 'active',
    ...OFFICE_WORKER,
    extraSessions: 1,
    gapSeconds: 60,
    mix: {
      dashboard_viewed: 14,
      report_viewed: 8,
      search_performed: 4,
      filter_applied: 3,
      chart_edited: 3,
      query_run: 3,
      dashboard_created: 1.5,
      report_exported: 2,
      comment_added: 2,
      share_link_created: 2,
      alert_created: 4,
      user_invited: 11,
      settings_changed: 16,
      billing_viewed: 7,
      integration_connected: 5,
      api_call: 1.5,
      webhook_triggered: 1,
      onboarding_step_completed: 2,
      template_used: 0.6,
    },
    roles: { admin: 40, manager: 20, engineer: 15, analyst: 12, executive: 8, finance: 5 },
    optIn: 0.4,
  },
  {
    name: 'api_integrator',
    share: 0.11,
    lifecycle: 'active',
    clock: 'around_the_clock',
    minEvents: 25,
    recentDays: 1,
    activeProbability: 0.35,
    weekendFactor: 0.95,
    eventsPerDay: 4,
    extraSessions: 0.8,
    gapSeconds: 4,
    loginProbability: 0.05,
    mix: {
      dashboard_viewed: 6,
      report_viewed: 3,
      search_performed: 1,
      filter_applied: 1,
      chart_edited: 1,
      query_run: 9,
      dashboard_created: 0.3,
      report_exported: 1.5,
      comment_added: 0.3,
      share_link_created: 0.3,
      alert_created: 3,
      user_invited: 0.3,
      settings_changed: 3,
      billing_viewed: 0.3,
      integration_connected: 3,
      api_call: 46,
      webhook_triggered: 20,
      onboarding_step_completed: 0.2,
      template_used: 0.3,
    },
    roles: { engineer: 55, analyst: 15, admin: 15, manager: 5, executive: 2, marketer: 3, finance: 5 },
    optIn: 0.3,
  },
];
