package com.enterpriseadmin.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whole runs of the escrow algorithm on the model: zero overspend at the boundary, conservation, where the ceilings sit. */
class EscrowSimulationTest {

  @ParameterizedTest(name = "K={0}, {1} clients, balance {2}")
  @CsvSource({"1,8,2000", "4,32,3000", "16,128,5000", "16,256,997", "64,256,4000"})
  void runningOutNeverOverspendsLeavesLessThanOneRequestAndRefusesOnlyWhenTheLanesHoldLess(int lanes, int clients, long balance) {
    EscrowSimulation.Result r = new EscrowSimulation(EscrowSimulation.Config.defaults(lanes, clients).withBalance(balance, true, 600_000)).run();
    assertEquals(0, r.overspend());
    assertTrue(r.lowestLane >= 0, "lowest lane " + r.lowestLane);
    assertTrue(r.conserved(), "left " + r.finalTotal + " + admitted " + r.totalAdmittedCredits + " = " + balance);
    assertTrue(r.finalTotal < r.config.maxAmount(), "credit stranded in lanes: " + r.finalTotal);
    assertEquals(0, r.falseRefusals);
    // A client stops only at a final refusal (one that gave up as busy goes on with its next request).
    assertEquals(clients, r.refusals, "every client ended with one final refusal");
  }

  @Test
  void oneLaneStaysUnderOneItemsCeilingAndLanesMultiplyThroughput() {
    EscrowSimulation.Result one = new EscrowSimulation(EscrowSimulation.Config.defaults(1, 256)).run();
    EscrowSimulation.Result sixteen = new EscrowSimulation(EscrowSimulation.Config.defaults(16, 256)).run();
    assertTrue(one.perSecond(one.admitted) <= 500, "one item: at most 1,000 WCU/s / 2 WCU = 500 admissions/s, got " + one.perSecond(one.admitted));
    assertTrue(sixteen.perSecond(sixteen.admitted) > 5 * one.perSecond(one.admitted),
        one.perSecond(one.admitted) + " → " + sixteen.perSecond(sixteen.admitted));
    assertEquals(0, one.overspend() + sixteen.overspend());
    assertTrue(one.conserved() && sixteen.conserved());
  }

  @Test
  void aSharedLedgerPartitionCapsTheOrganizationAtItsCeilingWhateverK() {
    EscrowSimulation.Result r = new EscrowSimulation(EscrowSimulation.Config.defaults(16, 256).withOneLedgerPartition()).run();
    assertTrue(r.perSecond(r.admitted) <= 505, "one ledger partition: 500 puts/s, got " + r.perSecond(r.admitted));
    assertTrue(r.throttles > 0);
  }

  @Test
  void theSameSeedGivesTheSameRun() {
    EscrowSimulation.Result a = new EscrowSimulation(EscrowSimulation.Config.defaults(4, 32)).run();
    EscrowSimulation.Result b = new EscrowSimulation(EscrowSimulation.Config.defaults(4, 32)).run();
    assertEquals(a.admitted, b.admitted);
    assertEquals(a.laneConflicts, b.laneConflicts);
  }
}
