package com.enterpriseadmin.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.enterpriseadmin.credit.Hold;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CounterDriftTest {
    private static final Instant NOW = Instant.parse("2026-11-28T02:00:00Z");

    private static Hold hold(String user, Hold.Status status) {
        return new Hold("h" + System.nanoTime(), "o", "t", user, 5, status, 0, NOW, NOW.plusSeconds(60), null, null);
    }

    @Test
    void eachMembersOpenHoldCounterIsCheckedAgainstTheirOpenHolds() {
        List<Hold> holds = List.of(hold("ada", Hold.Status.OPEN), hold("ada", Hold.Status.OPEN), hold("ada", Hold.Status.CAPTURED),
                hold("bob", Hold.Status.OPEN), hold("eve", Hold.Status.RELEASED));
        assertEquals(List.of(), CounterDrift.openHolds(holds, Map.of("ada", 2L, "bob", 1L, "eve", 0L)));
        assertEquals(List.of(
                        new CounterDrift(CounterDrift.OPEN_HOLDS, "ada", 3, 2),
                        new CounterDrift(CounterDrift.OPEN_HOLDS, "bob", 0, 1),
                        new CounterDrift(CounterDrift.OPEN_HOLDS, "eve", 10, 0)),
                CounterDrift.openHolds(holds, Map.of("ada", 3L, "eve", 10L)));
        assertEquals(10, CounterDrift.openHolds(holds, Map.of("ada", 2L, "bob", 1L, "eve", 10L)).get(0).drift());
    }
}
