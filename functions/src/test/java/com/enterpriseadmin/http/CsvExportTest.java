package com.enterpriseadmin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.store.Page;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * An export larger than one answer is cut into parts at a page boundary, each with the header row and a
 * {@code Link rel="next"} to the rest (the same URL with the cursor, the client's {@code limit} dropped), and the
 * parts together hold every row once. Cut here by size ({@link CsvExport#MAX_ENCODED_SIZE}), which does not depend
 * on the machine's speed; the integration test exports a real ledger through the stack.
 */
class CsvExportTest {
    private static final int ROWS = 6_000;
    private static final int PAGE = 500;
    private static final String FILLER = "x".repeat(1_000);

    /** Pages of {@link #PAGE} row numbers from the cursor (the next row number), as a list route's use case answers. */
    private static final Function<Optional<String>, Page<Integer>> PAGES = cursor -> {
        int from = cursor.map(Integer::parseInt).orElse(0);
        List<Integer> items = new ArrayList<>();
        for (int i = from; i < Math.min(ROWS, from + PAGE); i++) {
            items.add(i);
        }
        int next = from + items.size();
        return new Page<>(items, next < ROWS ? Optional.of(String.valueOf(next)) : Optional.empty());
    };

    private static ApiRequest request(Map<String, String> query) {
        return new ApiRequest("GET /v1/organizations/{orgId}/ledger", "GET", "/v1/organizations/o/ledger", Map.of("orgId", "o"), query,
                Map.of("accept", "text/csv"), null, Map.of("sub", "u"), "req-1");
    }

    private static ApiResponse part(Map<String, String> query) {
        return CsvExport.answer(request(query), "ledger", List.of("n", "filler"), Optional.ofNullable(query.get("cursor")), PAGES,
                n -> new Object[] {n, FILLER});
    }

    private static List<CSVRecord> rows(ApiResponse response) throws IOException {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(response.body())).getRecords();
    }

    @Test
    void aLargeExportIsCutIntoPartsAtPageBoundariesThatTogetherHoldEveryRowOnce() throws IOException {
        List<Integer> seen = new ArrayList<>();
        ApiResponse first = part(Map.of("limit", "50", "teamId", "t 1"));
        assertTrue(first.body().length() < CsvExport.MAX_ENCODED_SIZE + PAGE * (FILLER.length() + 10), "stops at the first page past the size");
        String link = first.headers().get("link");
        String cursor = first.headers().get("export-next-cursor");
        assertEquals("</v1/organizations/o/ledger?cursor=" + cursor + "&teamId=t+1>; rel=\"next\"", link, "same URL, the cursor, no limit");
        assertEquals(0, Integer.parseInt(cursor) % PAGE, "cut at a page boundary");
        assertEquals("attachment; filename=\"ledger.csv\"", first.headers().get("content-disposition"));
        rows(first).forEach(r -> seen.add(Integer.parseInt(r.get("n"))));

        int parts = 1;
        ApiResponse next = first;
        while (next.headers().get("export-next-cursor") != null) {
            next = part(Map.of("cursor", next.headers().get("export-next-cursor"), "teamId", "t 1"));
            assertTrue(next.body().startsWith("n,filler\r\n"), "every part has the header row");
            rows(next).forEach(r -> seen.add(Integer.parseInt(r.get("n"))));
            parts++;
        }
        assertNull(next.headers().get("link"), "the last part links nowhere");
        assertTrue(parts >= 2, "6 MB of rows do not fit one answer: " + parts + " part(s)");
        assertEquals(ROWS, seen.size(), "no row lost or repeated");
        for (int i = 0; i < ROWS; i++) {
            assertEquals(i, seen.get(i));
        }
    }

    @Test
    void anExportThatFitsIsOneAnswerWithoutALink() throws IOException {
        ApiResponse whole = CsvExport.answer(request(Map.of()), "ledger", List.of("n"), Optional.empty(),
                cursor -> new Page<>(List.of(1, 2, 3), Optional.empty()), n -> new Object[] {n});
        assertEquals(3, rows(whole).size());
        assertNull(whole.headers().get("link"));
        assertNull(whole.headers().get("export-next-cursor"));
    }
}
