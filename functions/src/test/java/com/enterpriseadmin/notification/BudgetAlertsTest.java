package com.enterpriseadmin.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.enterpriseadmin.notification.BudgetAlerts.Direction;
import com.enterpriseadmin.notification.BudgetAlerts.Transition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Which thresholds a change of a team crosses, upwards or back. */
class BudgetAlertsTest {

    private static Map<String, AttributeValue> team(String mode, long limit, long consumed, String period) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("budgetMode", AttributeValue.fromS(mode));
        item.put("budgetLimit", AttributeValue.fromN(Long.toString(limit)));
        item.put("periodConsumed", AttributeValue.fromN(Long.toString(consumed)));
        item.put("periodKey", AttributeValue.fromS(period));
        return item;
    }

    private static List<String> names(List<Transition> ts) {
        return ts.stream().map(t -> t.period() + ":" + t.threshold() + ":" + t.direction()).toList();
    }

    @Test
    void aConsumptionCrossesEveryThresholdItPassesOnceAndOnlyThose() {
        assertEquals(List.of("P:50:CROSSED"), names(BudgetAlerts.transitions(team("LIMITED", 100, 49, "P"), team("LIMITED", 100, 50, "P"))));
        assertEquals(List.of("P:50:CROSSED", "P:80:CROSSED", "P:100:CROSSED"),
                names(BudgetAlerts.transitions(team("LIMITED", 100, 0, "P"), team("LIMITED", 100, 100, "P"))));
        assertEquals(List.of(), names(BudgetAlerts.transitions(team("LIMITED", 100, 60, "P"), team("LIMITED", 100, 70, "P"))),
                "between two thresholds: nothing");
        assertEquals(List.of(), names(BudgetAlerts.transitions(team("LIMITED", 100, 0, "P"), team("LIMITED", 100, 49, "P"))));
    }

    @Test
    void aRaiseRecoversTheThresholdsUsageIsBackUnder() {
        assertEquals(List.of("P:80:RECOVERED", "P:100:RECOVERED"),
                names(BudgetAlerts.transitions(team("LIMITED", 100, 100, "P"), team("LIMITED", 150, 100, "P"))));
        List<Transition> t = BudgetAlerts.transitions(team("LIMITED", 100, 100, "P"), team("LIMITED", 1000, 100, "P"));
        assertEquals(3, t.size());
        assertEquals(new Transition("P", 50, Direction.RECOVERED, 100, 1000), t.get(0), "the figures after the change");
    }

    @Test
    void aNewPeriodRecoversTheOldPeriodsThresholdsAndCrossesInTheNewOneAfresh() {
        assertEquals(List.of("2026-12:50:CROSSED", "2026-11:50:RECOVERED", "2026-11:80:RECOVERED"),
                names(BudgetAlerts.transitions(team("LIMITED", 100, 90, "2026-11"), team("LIMITED", 100, 60, "2026-12"))));
        assertEquals(List.of("2026-11:50:RECOVERED"),
                names(BudgetAlerts.transitions(team("LIMITED", 100, 50, "2026-11"), team("LIMITED", 100, 0, "2026-12"))));
    }

    @Test
    void onlyALimitedTeamWithALimitCrossesAnything() {
        assertEquals(List.of(), names(BudgetAlerts.transitions(team("SHARED_POOL", 0, 0, "P"), team("SHARED_POOL", 0, 500, "P"))));
        assertEquals(List.of(), names(BudgetAlerts.transitions(team("LIMITED", 0, 0, "P"), team("LIMITED", 0, 0, "P"))));
        assertEquals(List.of("P:50:RECOVERED"), names(BudgetAlerts.transitions(team("LIMITED", 100, 50, "P"), team("SHARED_POOL", 0, 50, "P"))),
                "leaving LIMITED recovers what was crossed");
        assertEquals(List.of(), names(BudgetAlerts.transitions(team("LIMITED", 100, 50, "P"), Map.of())), "a deleted team: nothing");
    }

    @Test
    void aTeamsOwnThresholdsReplaceTheDefaults() {
        Map<String, AttributeValue> before = team("LIMITED", 1000, 0, "P");
        Map<String, AttributeValue> after = team("LIMITED", 1000, 950, "P");
        after.put("alertThresholds", AttributeValue.fromNs(List.of("90", "25")));
        assertEquals(List.of("P:25:CROSSED", "P:90:CROSSED"), names(BudgetAlerts.transitions(before, after)));
        assertEquals(List.of(25, 90), BudgetAlerts.thresholds(after));
        assertEquals(BudgetAlerts.DEFAULT_THRESHOLDS, BudgetAlerts.thresholds(before));
    }

    private static Map<String, AttributeValue> account(long purchased, long available) {
        return Map.of("purchased", AttributeValue.fromN(Long.toString(purchased)), "available", AttributeValue.fromN(Long.toString(available)));
    }

    @Test
    void theOrganizationsLowBalanceIsCrossedBelowItsThresholdAndRecoveredAtIt() {
        Map<String, AttributeValue> amount = Map.of("amount", AttributeValue.fromN("500"));
        assertEquals(java.util.Optional.of(Direction.CROSSED), BudgetAlerts.lowBalance(account(1000, 600), account(1000, 499), amount));
        assertEquals(java.util.Optional.empty(), BudgetAlerts.lowBalance(account(1000, 499), account(1000, 300), amount), "still low: nothing");
        assertEquals(java.util.Optional.of(Direction.RECOVERED), BudgetAlerts.lowBalance(account(1000, 300), account(2000, 1300), amount));
        assertEquals(java.util.Optional.of(Direction.RECOVERED), BudgetAlerts.lowBalance(account(1000, 499), account(1000, 500), amount),
                "back to the threshold is enough");
        Map<String, AttributeValue> share = Map.of("percentOfPurchased", AttributeValue.fromN("10"));
        assertEquals(100, BudgetAlerts.lowBalanceThreshold(share, account(1000, 0)));
        assertEquals(java.util.Optional.of(Direction.CROSSED), BudgetAlerts.lowBalance(account(1000, 150), account(1000, 99), share));
        assertEquals(java.util.Optional.empty(), BudgetAlerts.lowBalance(account(1000, 150), account(1000, 99), Map.of()), "no setting: nothing");
        assertEquals(java.util.Optional.empty(), BudgetAlerts.lowBalance(Map.of(), account(0, 0), amount), "a new account: nothing");
        assertEquals(java.util.Optional.empty(), BudgetAlerts.lowBalance(account(0, 0), account(0, 0), amount), "never had credits: nothing");
    }
}
