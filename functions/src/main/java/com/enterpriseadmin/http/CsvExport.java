package com.enterpriseadmin.http;

import com.enterpriseadmin.store.Page;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The {@code text/csv} answer of a list route ({@code Accept: text/csv}): the handler pages through the use case
 * ({@link PageRequest#EXPORT_LIMIT} items a read) and writes every row into one {@link Csv} body, because a Lambda
 * behind API Gateway answers with one buffered body of at most 6 MB. The body stops at a page boundary once it
 * weighs {@link #MAX_ENCODED_SIZE} (as encoded in the Lambda's JSON answer) or the export has run for
 * {@link #MAX_MILLIS}; the rest of the range is then the next part: {@code Link: <same URL with cursor>; rel="next"}
 * and {@code Export-Next-Cursor}. Without those headers the body is the whole range. Every part has the header row.
 */
public final class CsvExport {
    /** Below API Gateway's and Lambda's 6 MB answer, with room for the envelope and the headers. */
    public static final long MAX_ENCODED_SIZE = 5_000_000;
    /** Well inside the function's 15 s timeout (a page of 1,000 items is one DynamoDB read of at most 1 MB). */
    public static final long MAX_MILLIS = 6_000;

    private CsvExport() {}

    /** The client asked for CSV ({@code Accept} names {@code text/csv}). */
    public static boolean wanted(ApiRequest request) {
        return request.header("accept").map(a -> a.toLowerCase(Locale.ROOT).contains(Csv.MEDIA_TYPE)).orElse(false);
    }

    /**
     * Pages through {@code pages} from {@code cursor}, one row per item, into one CSV answer named {@code name}.csv.
     */
    public static <T> ApiResponse answer(ApiRequest request, String name, List<String> header, Optional<String> cursor,
                                         Function<Optional<String>, Page<T>> pages, Function<T, Object[]> row) {
        long started = System.nanoTime();
        Csv csv = new Csv(header);
        Optional<String> next = cursor;
        do {
            Page<T> page = pages.apply(next);
            page.items().forEach(item -> csv.row(row.apply(item)));
            next = page.nextCursor();
        } while (next.isPresent() && csv.encodedSize() < MAX_ENCODED_SIZE && (System.nanoTime() - started) / 1_000_000 < MAX_MILLIS);
        ApiResponse response = ApiResponse.of(200, Csv.MEDIA_TYPE + "; charset=utf-8; header=present", csv.text())
                .withHeader("content-disposition", "attachment; filename=\"" + name + ".csv\"");
        if (next.isPresent()) {
            response = response.withHeader("link", "<" + nextUrl(request, next.get()) + ">; rel=\"next\"")
                    .withHeader("export-next-cursor", next.get());
        }
        return response;
    }

    private static String nextUrl(ApiRequest request, String cursor) {
        Map<String, String> query = new TreeMap<>(request.query());
        query.remove("limit");
        query.put("cursor", cursor);
        StringBuilder url = new StringBuilder(request.path()).append('?');
        query.forEach((k, v) -> url.append(encode(k)).append('=').append(encode(v)).append('&'));
        url.setLength(url.length() - 1);
        return url.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
