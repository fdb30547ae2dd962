package com.enterpriseadmin.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** One page of a list and the opaque cursor of the next one (absent on the last page). */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), nextCursor);
    }
}
