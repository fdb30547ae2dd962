package com.enterpriseadmin.team;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Budget period keys: {@code ALL} for a NONE period, the UTC month {@code yyyy-MM} for MONTHLY. */
public final class Periods {
    public static final String ALL = "ALL";
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

    private Periods() {}

    public static String keyFor(Budget.Period period, Instant now) {
        return period == Budget.Period.MONTHLY ? MONTH.format(now) : ALL;
    }

    public static String month(Instant now) {
        return MONTH.format(now);
    }
}
