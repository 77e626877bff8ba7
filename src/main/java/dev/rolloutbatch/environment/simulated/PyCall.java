package dev.rolloutbatch.environment.simulated;

import java.util.List;
import java.util.Map;

/**
 * One parsed API call: {@code name(args..., key=value...)} with Python-literal values mapped to Java
 * ({@code str} → String, {@code int} → Long, {@code float} → Double, {@code True/False} → Boolean, {@code None} →
 * null, list/tuple → List, dict → Map).
 */
record PyCall(String name, List<Object> args, Map<String, Object> kwargs) {

    /** The argument at {@code index}, or the keyword argument {@code keyword}, or null. */
    Object arg(int index, String keyword) {
        if (index < args.size()) {
            return args.get(index);
        }
        return kwargs.get(keyword);
    }

    boolean has(int index, String keyword) {
        return index < args.size() || kwargs.containsKey(keyword);
    }

    int arity() {
        return args.size() + kwargs.size();
    }
}
