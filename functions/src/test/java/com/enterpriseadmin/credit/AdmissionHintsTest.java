package com.enterpriseadmin.credit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Periods;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The period key an admission assumes: what was last seen of the team, so that a learned key is used on the next attempt. */
class AdmissionHintsTest {
    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

    @Test
    void aTeamNeverSeenCountsInAll() {
        assertEquals(Periods.ALL, new AdmissionHints().periodKey("o", "t", NOW));
    }

    @Test
    void aTeamWhosePeriodWasChangedBackToNoneCountsInTheFreshKeySeen() {
        // MONTHLY → NONE gives the team a fresh key: assuming "ALL" again would be refused on every attempt (503 busy).
        AdmissionHints hints = new AdmissionHints();
        hints.period("o", "t", Budget.Period.NONE, "ALL#2026-11-30T07:59:00.000Z");
        assertEquals("ALL#2026-11-30T07:59:00.000Z", hints.periodKey("o", "t", NOW));
    }

    @Test
    void aMonthlyTeamCountsInTheCurrentMonthOrALaterKeySeen() {
        AdmissionHints hints = new AdmissionHints();
        hints.period("o", "t", Budget.Period.MONTHLY, "2026-10");
        assertEquals("2026-11", hints.periodKey("o", "t", NOW));
        hints.period("o", "t", Budget.Period.MONTHLY, "2026-11#2026-11-30T07:59:00.000Z");
        assertEquals("2026-11#2026-11-30T07:59:00.000Z", hints.periodKey("o", "t", NOW));
    }
}
