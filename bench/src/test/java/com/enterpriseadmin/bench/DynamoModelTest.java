package com.enterpriseadmin.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.enterpriseadmin.bench.DynamoModel.Outcome;
import com.enterpriseadmin.bench.DynamoModel.Write;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model's core rules (docs/scaling.md, "The model"): conflicts, conditions, capacity, consistent reads. */
class DynamoModelTest {

  private final DynamoModel dynamo = new DynamoModel(1_000, 0.1);

  private DynamoModel.Item lane(int i, long available) {
    return dynamo.item("lane#" + i, "lane#" + i, available);
  }

  private static Write debit(DynamoModel.Item lane, long n) {
    return new Write(lane, -n, n, 2);
  }

  @Test
  void aTransactionTouchingAnItemOfAPreparedOneIsCancelledWithAConflictAndChangesNothing() {
    DynamoModel.Item lane = lane(0, 10);
    DynamoModel.Item team = dynamo.item("team#0", "team#0", 0);
    DynamoModel.Prepared first = dynamo.prepare(0, List.of(debit(lane, 3)), List.of());
    assertEquals(Outcome.PREPARED, first.outcome());

    DynamoModel.Prepared second = dynamo.prepare(1, List.of(Write.check(team, 2), debit(lane, 4)), List.of());
    assertEquals(Outcome.CONFLICT, second.outcome());
    assertSame(lane, second.item());
    assertEquals(false, team.held(), "a cancelled transaction holds nothing");

    dynamo.commit(first.tx());
    assertEquals(7, lane.value());
    DynamoModel.Prepared again = dynamo.prepare(2, List.of(Write.check(team, 2), debit(lane, 4)), List.of());
    assertEquals(Outcome.PREPARED, again.outcome(), "once the first committed, the item is free");
    dynamo.commit(again.tx());
    assertEquals(3, lane.value());
  }

  @Test
  void aLaneShortOfCreditRefusesTheDebitAndAnswersItsBalanceAndNeverGoesNegative() {
    DynamoModel.Item lane = lane(0, 2);
    DynamoModel.Prepared refused = dynamo.prepare(0, List.of(debit(lane, 3)), List.of());
    assertEquals(Outcome.CONDITION_FAILED, refused.outcome());
    assertEquals(2, refused.oldValue(), "ALL_OLD: the lane's balance");
    assertEquals(2, lane.value());
    assertEquals(false, lane.held());

    DynamoModel.Prepared exact = dynamo.prepare(1, List.of(debit(lane, 2)), List.of());
    dynamo.commit(exact.tx());
    assertEquals(0, lane.value());
    assertEquals(Outcome.CONDITION_FAILED, dynamo.prepare(2, List.of(debit(lane, 1)), List.of()).outcome());
  }

  @Test
  void aRebalanceConservesTheSumOfTheLanesAndIsRefusedWholeWhenADonorHasLessThanItGives() {
    DynamoModel.Item a = lane(0, 5);
    DynamoModel.Item b = lane(1, 3);
    DynamoModel.Item c = lane(2, 1);
    DynamoModel.Prepared move = dynamo.prepare(0, List.of(new Write(a, -4, 4, 2), new Write(b, -2, 2, 2), new Write(c, 6, Long.MIN_VALUE, 2)),
        List.of());
    dynamo.commit(move.tx());
    assertEquals(9, a.value() + b.value() + c.value());
    assertEquals(7, c.value());

    DynamoModel.Prepared tooMuch = dynamo.prepare(1, List.of(new Write(a, -1, 1, 2), new Write(b, -2, 2, 2), new Write(c, 3, Long.MIN_VALUE, 2)),
        List.of());
    assertEquals(Outcome.CONDITION_FAILED, tooMuch.outcome());
    assertSame(b, tooMuch.item());
    assertArrayEquals(new long[] {1, 1, 7}, new long[] {a.value(), b.value(), c.value()}, "nothing moved");
  }

  @Test
  void aPartitionPastItsCeilingThrottlesTheWholeTransactionUntilCapacityRefills() {
    DynamoModel.Item lane = lane(0, 1_000_000);
    DynamoModel.Partition ledger = dynamo.partition("ledger#0");
    // 1,000 WCU/s with 0.1 s banked = 100 WCU per partition: 50 transactions of 2 WCU on the lane's and 2 on the ledger's.
    for (int i = 0; i < 50; i++) {
      DynamoModel.Prepared p = dynamo.prepare(0, List.of(debit(lane, 1)), List.of(new DynamoModel.Untracked(ledger, 2)));
      assertEquals(Outcome.PREPARED, p.outcome(), "transaction " + i);
      dynamo.commit(p.tx());
    }
    DynamoModel.Prepared throttled = dynamo.prepare(0, List.of(debit(lane, 1)), List.of(new DynamoModel.Untracked(ledger, 2)));
    assertEquals(Outcome.THROTTLED, throttled.outcome());
    assertEquals(1_000_000 - 50, lane.value());
    // 4 ms later 4 WCU have come back to each partition: room for exactly 2 more.
    for (int i = 0; i < 2; i++) dynamo.commit(dynamo.prepare(4, List.of(debit(lane, 1)), List.of(new DynamoModel.Untracked(ledger, 2))).tx());
    assertEquals(Outcome.THROTTLED, dynamo.prepare(4, List.of(debit(lane, 1)), List.of(new DynamoModel.Untracked(ledger, 2))).outcome());
  }

  @Test
  void aConsistentReadOfTheLanesConflictsWithAPreparedWriteAndOtherwiseSeesCommittedValues() {
    DynamoModel.Item a = lane(0, 5);
    DynamoModel.Item b = lane(1, 7);
    DynamoModel.Prepared p = dynamo.prepare(0, List.of(debit(b, 2)), List.of());
    DynamoModel.Snapshot during = dynamo.transactGet(List.of(a, b));
    assertEquals(Outcome.CONFLICT, during.outcome());
    assertSame(b, during.conflicted());
    dynamo.commit(p.tx());
    DynamoModel.Snapshot after = dynamo.transactGet(List.of(a, b));
    assertArrayEquals(new long[] {5, 5}, after.values());
  }

  @Test
  void consistentReadsSeeCommittedValuesAndVersionsAndAWriteAsReadIsRefusedOnceTheItemMoved() {
    DynamoModel.Item a = lane(0, 5);
    DynamoModel.Item b = lane(1, 7);
    DynamoModel.Prepared p = dynamo.prepare(0, List.of(debit(b, 2)), List.of());
    DynamoModel.Reads during = dynamo.read(List.of(a, b));
    assertArrayEquals(new long[] {5, 7}, during.values(), "a read is not cancelled: it sees the committed values");
    dynamo.commit(p.tx());
    DynamoModel.Reads after = dynamo.read(List.of(a, b));
    assertArrayEquals(new long[] {5, 5}, after.values());
    assertArrayEquals(new long[] {during.versions()[0], during.versions()[1] + 1}, after.versions(), "the versions tell the two reads apart");
    // A rebalance as built: each lane moved only if still at the version read.
    assertEquals(Outcome.CONDITION_FAILED, dynamo.prepare(1, List.of(DynamoModel.Write.asRead(a, 3, during.versions()[0], 2),
        DynamoModel.Write.asRead(b, -3, during.versions()[1], 2)), List.of()).outcome());
    DynamoModel.Prepared ok = dynamo.prepare(1, List.of(DynamoModel.Write.asRead(a, 3, after.versions()[0], 2),
        DynamoModel.Write.asRead(b, -3, after.versions()[1], 2)), List.of());
    dynamo.commit(ok.tx());
    assertArrayEquals(new long[] {8, 2}, dynamo.read(List.of(a, b)).values());
  }
}
