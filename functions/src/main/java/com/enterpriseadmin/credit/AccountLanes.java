package com.enterpriseadmin.credit;

import com.enterpriseadmin.store.Item;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An organization's account as its lanes (docs/scaling.md, "Past one item: escrow lanes"): the available
 * credits split into lane items, each with its own {@code available >= n} condition. Lane 0 is the account
 * item (it also keeps {@code purchased}, the number of lanes in use {@code active} and of lane items
 * {@code items}); lanes {@code active ≤ i < items} are retired (a lowered count): never deleted, since their
 * {@code consumed} and {@code held} still count, and emptied of {@code available} by the change.
 * The organization's figures are the sums.
 */
public record AccountLanes(long purchased, int active, List<Lane> lanes) {
    /** The most lanes an organization may have: a redistribution touches every lane item in one transaction. */
    public static final int MAX_LANES = 64;

    /** One lane item as read. {@code seq} moves on every change of the lane. */
    public record Lane(int index, long available, long consumed, long held, long moved, long seq) {}

    public AccountLanes {
        lanes = List.copyOf(lanes);
    }

    /** The organization's account: the sums of its lanes. */
    public Account total() {
        long consumed = 0;
        long held = 0;
        long available = 0;
        for (Lane lane : lanes) {
            consumed += lane.consumed();
            held += lane.held();
            available += lane.available();
        }
        return new Account(purchased, consumed, held, available);
    }

    public int items() {
        return lanes.size();
    }

    public Lane lane(int index) {
        return lanes.get(index);
    }

    /** The index of the lane in use holding the most available credits (lane 0 on a tie). */
    public int richest() {
        int best = 0;
        for (int i = 1; i < active; i++) {
            if (lanes.get(i).available() > lanes.get(best).available()) {
                best = i;
            }
        }
        return best;
    }

    /** The net credits moved between lanes: 0 unless a counter drifted. */
    public long moved() {
        return lanes.stream().mapToLong(Lane::moved).sum();
    }

    /** The same lanes' sequence numbers (a second read with equal ones saw no lane change in between). */
    public List<Long> seqs() {
        return lanes.stream().map(Lane::seq).toList();
    }

    /**
     * The available credits of each lane item after spreading the total over {@code k} lanes in use: each gets
     * ⌊S / k⌋, lane {@code target} at least {@code atLeast} (≤ S), the others share what is left evenly, lane 0
     * takes the remainder, retired lanes 0. The sum is S: credit is moved, never created or lost.
     */
    public long[] spread(int k, int target, long atLeast) {
        long total = total().available();
        long[] next = new long[Math.max(k, lanes.size())];
        long share = total / k;
        for (int i = 0; i < k; i++) {
            next[i] = share;
        }
        next[0] += total - share * k;
        long deficit = Math.min(atLeast, total) - next[target];
        for (int i = 0; i < k && deficit > 0; i++) {
            if (i != target) {
                long x = Math.min(next[i], deficit);
                next[i] -= x;
                next[target] += x;
                deficit -= x;
            }
        }
        return next;
    }

    static Lane lane(int index, Map<String, AttributeValue> item) {
        return new Lane(index, Item.num(item, CreditItems.AVAILABLE), Item.num(item, CreditItems.CONSUMED), Item.num(item, CreditItems.HELD),
                Item.num(item, CreditItems.MOVED), Item.num(item, CreditItems.SEQ));
    }

    /** The lanes in use (lane 0's {@code lanes}, absent: 1) and the lane items (its {@code laneItems}, absent: 1). */
    static int active(Map<String, AttributeValue> account) {
        return account.containsKey(CreditItems.LANES) ? (int) Item.num(account, CreditItems.LANES) : 1;
    }

    static int items(Map<String, AttributeValue> account) {
        return account.containsKey(CreditItems.LANE_ITEMS) ? (int) Item.num(account, CreditItems.LANE_ITEMS) : 1;
    }

    static AccountLanes of(Map<String, AttributeValue> account, Map<Integer, Map<String, AttributeValue>> others) {
        List<Lane> lanes = new ArrayList<>();
        lanes.add(lane(0, account));
        for (int i = 1; i < items(account); i++) {
            lanes.add(others.containsKey(i) ? lane(i, others.get(i)) : new Lane(i, 0, 0, 0, 0, 0));
        }
        return new AccountLanes(Item.num(account, CreditItems.PURCHASED), active(account), lanes);
    }
}
