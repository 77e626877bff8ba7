package dev.rolloutbatch.api;

/**
 * A page of a list: {@code page}/{@code size} (page counted from 1) or {@code limit}/{@code offset}, not both.
 */
record Paging(int limit, int offset) {

    static final int DEFAULT_SIZE = 50;

    static Paging of(Integer page, Integer size, Integer limit, Integer offset, int maxSize) {
        if ((page != null || size != null) && (limit != null || offset != null)) {
            throw new BadRequestException(page != null ? "page" : "size", "use page/size or limit/offset, not both");
        }
        if (page != null && page < 1) {
            throw new BadRequestException("page", "must be at least 1");
        }
        int n = size != null ? size : limit != null ? limit : DEFAULT_SIZE;
        if (n < 1 || n > maxSize) {
            throw new BadRequestException(size != null ? "size" : "limit", "must be between 1 and " + maxSize);
        }
        if (offset != null && offset < 0) {
            throw new BadRequestException("offset", "must be at least 0");
        }
        long start = page != null ? (long) (page - 1) * n : offset != null ? offset : 0;
        if (start > Integer.MAX_VALUE) {
            throw new BadRequestException("page", "is too large");
        }
        return new Paging(n, (int) start);
    }
}
