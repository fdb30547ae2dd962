package com.enterpriseadmin.http;

import com.enterpriseadmin.store.Page;
import java.util.List;

/** The JSON shape of every list: {@code {"items": [...], "nextCursor": "..."}} (no cursor on the last page). */
public record PageResponse<T>(List<T> items, String nextCursor) {
    public static <T> PageResponse<T> of(Page<T> page) {
        return new PageResponse<>(page.items(), page.nextCursor().orElse(null));
    }
}
