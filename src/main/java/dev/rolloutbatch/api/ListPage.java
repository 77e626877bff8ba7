package dev.rolloutbatch.api;

import java.util.List;

/** One page of a list endpoint: the items, how many match in all, and the window. */
record ListPage<T>(List<T> items, long total, int limit, int offset) {
}
