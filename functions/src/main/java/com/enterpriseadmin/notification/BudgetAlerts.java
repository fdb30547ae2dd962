package com.enterpriseadmin.notification;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Which budget thresholds a change of a team item crossed, upwards or back: the rule, with no I/O.
 *
 * <p>A LIMITED team with a limit above 0 has crossed threshold {@code t} (percent) in its period when
 * {@code periodConsumed × 100 ≥ t × limit}. Comparing the item before and after a change: in the same period,
 * a threshold crossed after but not before is {@link Direction#CROSSED}, one crossed before but not after (a
 * raised limit, or a period switch's carry) {@link Direction#RECOVERED}; when the period changed (a new month,
 * a switch of period), every threshold crossed in the old period is RECOVERED in it and every threshold crossed
 * in the new one is CROSSED in it. A team that is not (or no longer) LIMITED crosses nothing.
 */
public final class BudgetAlerts {
    /** The thresholds of a team that has none of its own ({@code alertThresholds} absent). */
    public static final List<Integer> DEFAULT_THRESHOLDS = List.of(50, 80, 100);

    public enum Direction { CROSSED, RECOVERED }

    /** One threshold crossing of a team in a period, with the team's usage and limit as the change left them. */
    public record Transition(String period, int threshold, Direction direction, long usage, long limit) {}

    private BudgetAlerts() {}

    public static List<Transition> transitions(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        List<Transition> out = new ArrayList<>();
        if (after.isEmpty()) {
            return out;
        }
        String newPeriod = str(after, "periodKey");
        String oldPeriod = str(before, "periodKey");
        TreeSet<Integer> now = crossed(after);
        TreeSet<Integer> then = before.isEmpty() ? new TreeSet<>() : crossed(before);
        boolean samePeriod = Objects.equals(oldPeriod, newPeriod);
        for (int t : now) {
            if (!samePeriod || !then.contains(t)) {
                out.add(new Transition(newPeriod, t, Direction.CROSSED, num(after, "periodConsumed"), num(after, "budgetLimit")));
            }
        }
        for (int t : then) {
            if (!samePeriod || !now.contains(t)) {
                out.add(new Transition(oldPeriod, t, Direction.RECOVERED, num(after, "periodConsumed"), num(after, "budgetLimit")));
            }
        }
        return out;
    }

    /** The thresholds this image of a team has crossed in its period. */
    static TreeSet<Integer> crossed(Map<String, AttributeValue> team) {
        TreeSet<Integer> out = new TreeSet<>();
        long limit = num(team, "budgetLimit");
        if (!"LIMITED".equals(str(team, "budgetMode")) || limit <= 0 || str(team, "periodKey") == null) {
            return out;
        }
        long used = num(team, "periodConsumed");
        for (int t : thresholds(team)) {
            if (used * 100 >= (long) t * limit) {
                out.add(t);
            }
        }
        return out;
    }

    /** The team's own thresholds ({@code alertThresholds}, a number set), or the defaults. */
    public static List<Integer> thresholds(Map<String, AttributeValue> team) {
        AttributeValue own = team.get("alertThresholds");
        if (own == null || !own.hasNs() || own.ns().isEmpty()) {
            return DEFAULT_THRESHOLDS;
        }
        return own.ns().stream().map(Integer::parseInt).sorted().toList();
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    /**
     * Whether an account change took the organization's {@code available} credits below its low-balance threshold
     * (CROSSED) or back to it or above (RECOVERED), or neither (empty). {@code setting}: the organization's
     * {@code lowBalanceAlert} ({@code amount}, or {@code percentOfPurchased} of each image's {@code purchased}). An
     * account just created, or one that never had credits, crosses nothing.
     */
    public static java.util.Optional<Direction> lowBalance(Map<String, AttributeValue> before, Map<String, AttributeValue> after,
                                                           Map<String, AttributeValue> setting) {
        if (before.isEmpty() || after.isEmpty() || setting.isEmpty() || num(after, "purchased") == 0) {
            return java.util.Optional.empty(); // a new account, or one that never had credits, is not running low
        }
        boolean lowBefore = num(before, "available") < lowBalanceThreshold(setting, before);
        boolean lowAfter = num(after, "available") < lowBalanceThreshold(setting, after);
        return lowBefore == lowAfter ? java.util.Optional.empty() : java.util.Optional.of(lowAfter ? Direction.CROSSED : Direction.RECOVERED);
    }

    /** The low-balance threshold in credits for this account image. */
    public static long lowBalanceThreshold(Map<String, AttributeValue> setting, Map<String, AttributeValue> account) {
        if (setting.containsKey("amount")) {
            return num(setting, "amount");
        }
        return num(account, "purchased") * num(setting, "percentOfPurchased") / 100;
    }
}
