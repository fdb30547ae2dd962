package com.enterpriseadmin.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the functions read from their environment, read once and checked at start-up.
 * A missing or malformed variable fails the cold start with its name in the message.
 * Endpoints are never configured here: the AWS SDK reads {@code AWS_ENDPOINT_URL} itself.
 */
public record Config(
        String tableName,
        String region,
        List<String> allowedEmailDomains,
        Optional<String> userPoolId,
        int inviteRateLimitPerDay,
        Duration invitationTtl,
        boolean reconcileRepair,
        int orgCreateLimitPerUserPerDay,
        int inviteLimitPerInviterPerDay,
        int pendingInvitationsPerInviteeMax,
        long selfServiceTopUpAllowance,
        long maxHoldAmount,
        long maxHoldSeconds,
        int maxOpenHoldsPerMember,
        Optional<String> reconcileQueueUrl,
        Optional<String> emailSender,
        Optional<String> emailConfigurationSet,
        Optional<String> consoleUrl) {

    /** Abuse limits: organizations one user may create per UTC day (template parameter OrgCreateLimitPerUserPerDay). */
    public static final int DEFAULT_ORG_CREATE_LIMIT_PER_USER_PER_DAY = 5;
    /** Invitations (created or resent) one administrator may send per UTC day, across organizations. */
    public static final int DEFAULT_INVITE_LIMIT_PER_INVITER_PER_DAY = 50;
    /** PENDING invitations one person may hold across organizations. */
    public static final int DEFAULT_PENDING_INVITATIONS_PER_INVITEE_MAX = 20;


    public static Config fromEnv() {
        return from(System.getenv());
    }

    public static Config from(Map<String, String> env) {
        return new Config(
                required(env, "TABLE_NAME"),
                firstPresent(env, "AWS_REGION", "AWS_DEFAULT_REGION"),
                domains(env.getOrDefault("ALLOWED_EMAIL_DOMAINS", "")),
                Optional.ofNullable(blankToNull(env.get("USER_POOL_ID"))),
                positiveInt(env, "INVITE_RATE_LIMIT_PER_DAY", 100),
                Duration.ofDays(positiveInt(env, "INVITATION_TTL_DAYS", 7)),
                Boolean.parseBoolean(env.getOrDefault("RECONCILE_REPAIR", "false")),
                positiveInt(env, "ORG_CREATE_LIMIT_PER_USER_PER_DAY", DEFAULT_ORG_CREATE_LIMIT_PER_USER_PER_DAY),
                positiveInt(env, "INVITE_LIMIT_PER_INVITER_PER_DAY", DEFAULT_INVITE_LIMIT_PER_INVITER_PER_DAY),
                positiveInt(env, "PENDING_INVITATIONS_PER_INVITEE_MAX", DEFAULT_PENDING_INVITATIONS_PER_INVITEE_MAX),
                allowance(env, "SELF_SERVICE_TOP_UP_ALLOWANCE"),
                positiveLong(env, "MAX_HOLD_AMOUNT", 100_000),
                positiveLong(env, "MAX_HOLD_SECONDS", 86_400),
                positiveInt(env, "MAX_OPEN_HOLDS_PER_MEMBER", 10),
                Optional.ofNullable(blankToNull(env.get("RECONCILE_QUEUE_URL"))),
                Optional.ofNullable(blankToNull(env.get("EMAIL_SENDER"))),
                Optional.ofNullable(blankToNull(env.get("EMAIL_CONFIGURATION_SET"))),
                Optional.ofNullable(blankToNull(env.get("CONSOLE_URL"))));
    }

    public String requireUserPoolId() {
        return userPoolId.orElseThrow(() -> new IllegalStateException("environment variable USER_POOL_ID is not set"));
    }

    /** The queue the scheduled reconciliation fans organizations out to (only that function has it). */
    public String requireReconcileQueueUrl() {
        return reconcileQueueUrl.orElseThrow(() -> new IllegalStateException("environment variable RECONCILE_QUEUE_URL is not set"));
    }

    /** The notifier's sender address (template parameter EmailSender; only that function has it). */
    public String requireEmailSender() {
        return emailSender.filter(a -> a.contains("@"))
                .orElseThrow(() -> new IllegalStateException("environment variable EMAIL_SENDER must be an e-mail address"));
    }

    /** The web console's origin, for the links in e-mails (template parameter ConsoleUrl): an http(s) URL. */
    public String requireConsoleUrl() {
        return consoleUrl.filter(u -> u.startsWith("https://") || u.startsWith("http://"))
                .orElseThrow(() -> new IllegalStateException("environment variable CONSOLE_URL must be an http(s) URL"));
    }

    private static String required(Map<String, String> env, String name) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    private static String firstPresent(Map<String, String> env, String... names) {
        for (String name : names) {
            String value = blankToNull(env.get(name));
            if (value != null) {
                return value;
            }
        }
        throw new IllegalStateException("environment variable " + names[0] + " is not set");
    }

    private static int positiveInt(Map<String, String> env, String name, int fallback) {
        String raw = blankToNull(env.get(name));
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalStateException("environment variable " + name + " must be a positive integer, was '" + raw + "'");
    }

    /** A whole number of credits ≥ 0, or -1 for unlimited; absent: 0 (no self-service top-ups: credits come from billing). */
    private static long allowance(Map<String, String> env, String name) {
        String raw = blankToNull(env.get(name));
        if (raw == null) {
            return 0;
        }
        try {
            long value = Long.parseLong(raw);
            if (value >= -1) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalStateException("environment variable " + name + " must be a whole number >= 0, or -1 for unlimited, was '" + raw + "'");
    }

    static long positiveLong(Map<String, String> env, String name, long fallback) {
        String raw = blankToNull(env.get(name));
        if (raw == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalStateException("environment variable " + name + " must be a positive integer, was '" + raw + "'");
    }

    static List<String> domains(String raw) {
        return Arrays.stream(raw.split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .distinct()
                .toList();
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
