package dev.rolloutbatch.conversation;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Reads nullable columns of the project's rows (and of their aggregates) as Java nulls, where {@link ResultSet}'s
 * primitive getters would give 0 or false; the read side of {@link Timestamps}. Shared by every reader of the
 * episode, conversation and llm_call rows.
 */
public final class NullableColumns {

    private NullableColumns() {
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        return orNull(rs, column, ResultSet::getLong);
    }

    public static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        return orNull(rs, column, ResultSet::getDouble);
    }

    public static Boolean nullableBoolean(ResultSet rs, String column) throws SQLException {
        return orNull(rs, column, ResultSet::getBoolean);
    }

    public static Integer nullableInteger(ResultSet rs, String column) throws SQLException {
        return orNull(rs, column, ResultSet::getInt);
    }

    /** A {@code TIMESTAMP WITH TIME ZONE} column as an instant. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Money for JSON: no trailing zeros of the NUMERIC scale, and never in exponent form for whole amounts. */
    public static BigDecimal money(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** A primitive getter of {@link ResultSet}, boxed. */
    private interface Getter<T> {
        T get(ResultSet rs, String column) throws SQLException;
    }

    /** The column's value, or null when it was SQL NULL (which the primitive getters read as 0 or false). */
    private static <T> T orNull(ResultSet rs, String column, Getter<T> getter) throws SQLException {
        T value = getter.get(rs, column);
        return rs.wasNull() ? null : value;
    }
}
