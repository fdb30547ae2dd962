package com.enterpriseadmin.local;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Optional;

/**
 * EventBridge schedule expressions: {@code rate(5 minutes)} and the six-field
 * {@code cron(minutes hours day-of-month month day-of-week year)} in UTC, with {@code * ? , - /}
 * and month/day names. {@code L}, {@code W} and {@code #} are not emulated (rejected).
 */
public sealed interface ScheduleExpression {

  /** The first firing strictly after {@code after}, if any. */
  Optional<ZonedDateTime> next(ZonedDateTime after);

  record Rate(Duration every) implements ScheduleExpression {
    @Override
    public Optional<ZonedDateTime> next(ZonedDateTime after) {
      return Optional.of(after.plus(every));
    }
  }

  record Cron(BitSet minutes, BitSet hours, BitSet daysOfMonth, boolean anyDayOfMonth, BitSet months,
              BitSet daysOfWeek, boolean anyDayOfWeek, BitSet years) implements ScheduleExpression {
    @Override
    public Optional<ZonedDateTime> next(ZonedDateTime after) {
      ZonedDateTime t = after.withZoneSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
      ZonedDateTime limit = t.plusYears(5);
      while (t.isBefore(limit)) {
        if (!years.get(t.getYear() - 1970)) { t = t.plusYears(1).withDayOfYear(1).truncatedTo(ChronoUnit.DAYS); continue; }
        if (!months.get(t.getMonthValue())) { t = t.plusMonths(1).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS); continue; }
        if (!dayMatches(t)) { t = t.plusDays(1).truncatedTo(ChronoUnit.DAYS); continue; }
        if (!hours.get(t.getHour())) { t = t.plusHours(1).truncatedTo(ChronoUnit.HOURS); continue; }
        if (!minutes.get(t.getMinute())) { t = t.plusMinutes(1); continue; }
        return Optional.of(t);
      }
      return Optional.empty();
    }

    private boolean dayMatches(ZonedDateTime t) {
      int dow = t.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : t.getDayOfWeek().getValue() + 1; // 1 = SUN .. 7 = SAT
      boolean dom = daysOfMonth.get(t.getDayOfMonth());
      boolean wd = daysOfWeek.get(dow);
      if (anyDayOfMonth) return wd;
      if (anyDayOfWeek) return dom;
      return dom && wd;
    }
  }

  static ScheduleExpression parse(String expression) {
    String e = expression.trim();
    if (e.startsWith("rate(") && e.endsWith(")")) {
      String[] parts = e.substring(5, e.length() - 1).trim().split("\\s+");
      if (parts.length != 2) throw new IllegalArgumentException("bad rate expression: " + expression);
      long n = Long.parseLong(parts[0]);
      if (n <= 0) throw new IllegalArgumentException("bad rate expression: " + expression);
      String unit = parts[1].toLowerCase(Locale.ROOT);
      Duration d = switch (unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit) {
        case "minute" -> Duration.ofMinutes(n);
        case "hour" -> Duration.ofHours(n);
        case "day" -> Duration.ofDays(n);
        default -> throw new IllegalArgumentException("bad rate unit: " + expression);
      };
      return new Rate(d);
    }
    if (e.startsWith("cron(") && e.endsWith(")")) {
      String[] f = e.substring(5, e.length() - 1).trim().split("\\s+");
      if (f.length != 6) throw new IllegalArgumentException("cron needs 6 fields: " + expression);
      return new Cron(field(f[0], 0, 59, null), field(f[1], 0, 23, null),
          field(f[2], 1, 31, null), f[2].equals("?") || f[2].equals("*"),
          field(f[3], 1, 12, new String[] {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}),
          field(f[4], 1, 7, new String[] {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}), f[4].equals("?") || f[4].equals("*"),
          yearField(f[5]));
    }
    throw new IllegalArgumentException("unsupported schedule expression: " + expression);
  }

  private static BitSet yearField(String spec) {
    BitSet raw = field(spec, 1970, 2199, null);
    BitSet shifted = new BitSet();
    raw.stream().forEach(y -> shifted.set(y - 1970));
    return shifted;
  }

  private static BitSet field(String spec, int min, int max, String[] names) {
    BitSet bits = new BitSet();
    for (String part : spec.toUpperCase(Locale.ROOT).split(",")) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = Integer.parseInt(part.substring(slash + 1));
        range = part.substring(0, slash);
      }
      int from;
      int to;
      if (range.equals("*") || range.equals("?")) {
        from = min;
        to = max;
      } else if (range.contains("-")) {
        String[] ft = range.split("-", 2);
        from = value(ft[0], names, min);
        to = value(ft[1], names, min);
      } else {
        from = value(range, names, min);
        to = slash >= 0 ? max : from;
      }
      if (from < min || to > max || from > to || step <= 0) throw new IllegalArgumentException("bad cron field: " + spec);
      for (int v = from; v <= to; v += step) bits.set(v);
    }
    return bits;
  }

  private static int value(String token, String[] names, int min) {
    if (names != null) {
      for (int i = 0; i < names.length; i++) if (names[i].equals(token)) return i + min;
    }
    if (!token.matches("\\d+")) throw new IllegalArgumentException("unsupported cron token: " + token);
    return Integer.parseInt(token);
  }
}
