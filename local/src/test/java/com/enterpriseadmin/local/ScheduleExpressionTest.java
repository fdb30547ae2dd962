package com.enterpriseadmin.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class ScheduleExpressionTest {

  private static final ZonedDateTime T = ZonedDateTime.parse("2026-03-14T10:17:30Z"); // a Saturday

  private static ZonedDateTime next(String expression) {
    return ScheduleExpression.parse(expression).next(T).orElseThrow();
  }

  @Test
  void rates() {
    assertEquals(T.plusMinutes(5), next("rate(5 minutes)"));
    assertEquals(T.plusHours(1), next("rate(1 hour)"));
    assertEquals(T.plusDays(2), next("rate(2 days)"));
  }

  @Test
  void crons() {
    assertEquals(ZonedDateTime.parse("2026-03-15T03:00Z"), next("cron(0 3 * * ? *)"));
    assertEquals(ZonedDateTime.parse("2026-03-14T10:30Z"), next("cron(0/15 * * * ? *)"));
    assertEquals(ZonedDateTime.parse("2026-03-16T08:00Z"), next("cron(0 8 ? * MON-FRI *)"));
    assertEquals(ZonedDateTime.parse("2026-04-01T00:00Z"), next("cron(0 0 1 * ? *)"));
    assertEquals(ZonedDateTime.parse("2027-01-01T00:00Z"), next("cron(0 0 1 JAN ? 2027)"));
  }

  @Test
  void unsupportedExpressionsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("cron(0 0 L * ? *)"));
    assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("rate(0 minutes)"));
    assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("every day"));
  }
}
