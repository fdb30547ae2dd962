package com.enterpriseadmin.http;

import com.enterpriseadmin.error.DomainException.InvalidInput;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code cursor} and {@code limit} query parameters of every list ({@code 1 ≤ limit ≤ 100},
 * default 25), plus the parsing of time filters. Bad values are 400s naming the parameter.
 */
public record PageRequest(Optional<String> cursor, int limit) {
    public static final int DEFAULT_LIMIT = 25;
    public static final int MAX_LIMIT = 100;
    /** The page size a CSV export reads the store with ({@link CsvExport}): never a client's choice. */
    public static final int EXPORT_LIMIT = 1000;

    public PageRequest {
        if (limit < 1 || limit > EXPORT_LIMIT) {
            throw new InvalidInput("limit", "'limit' must be a whole number from 1 to " + MAX_LIMIT);
        }
    }

    /** A page of a CSV export, read {@link #EXPORT_LIMIT} items at a time. */
    public static PageRequest export(Optional<String> cursor) {
        return new PageRequest(cursor, EXPORT_LIMIT);
    }

    public static PageRequest from(ApiRequest request) {
        Optional<String> raw = request.queryParameter("limit");
        int limit = DEFAULT_LIMIT;
        if (raw.isPresent()) {
            String s = raw.get();
            if (s.length() > 3 || !s.chars().allMatch(Character::isDigit)) {
                throw new InvalidInput("limit", "'limit' must be a whole number from 1 to " + MAX_LIMIT);
            }
            limit = Integer.parseInt(s);
            if (limit > MAX_LIMIT) {
                throw new InvalidInput("limit", "'limit' must be a whole number from 1 to " + MAX_LIMIT);
            }
        }
        return new PageRequest(request.queryParameter("cursor"), limit);
    }

    /** An ISO-8601 date-time query parameter with an offset ({@code 2026-11-28T00:00:00Z}). */
    public static Optional<Instant> instant(ApiRequest request, String name) {
        Optional<String> raw = request.queryParameter(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (raw.get().length() > 40) {
                throw new DateTimeParseException("too long", raw.get(), 0);
            }
            OffsetDateTime parsed = OffsetDateTime.parse(raw.get());
            // Keys compare times as text: only four-digit years sort correctly.
            int year = parsed.toInstant().atOffset(java.time.ZoneOffset.UTC).getYear();
            if (year < 0 || year > 9999) {
                throw new InvalidInput(name, "'" + name + "' must be between the years 0000 and 9999 (UTC)");
            }
            return Optional.of(parsed.toInstant());
        } catch (DateTimeParseException e) {
            throw new InvalidInput(name, "'" + name + "' must be an ISO-8601 date-time with offset, e.g. 2026-11-28T00:00:00Z");
        }
    }
}
