package dev.rolloutbatch.environment.simulated;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * What AIOpsLab's {@code get_traces} leaves behind: one CSV of spans with the columns trace_id, span_id,
 * parent_span (ROOT for a root span), service_name, operation_name, start_time and duration (microseconds, as
 * Jaeger reports them), has_error (the span's error tag) and response (its http.status_code tag, else Unknown).
 * Traces are fetched per service from Jaeger's service list, so a trace that crosses several services is written
 * once for each of them. Only instrumented services report spans: databases and caches do not, and neither does a
 * service that is not serving; its callers' spans carry the error.
 * AIOpsLab: aiopslab/observer/trace_api.py (extract_traces, process_traces, save_traces) and
 * aiopslab/orchestrator/actions/base.py (get_traces: trace_output under the working directory)
 */
final class JaegerExport {

    static final String COLUMNS = "trace_id,span_id,parent_span,service_name,operation_name,start_time,duration,has_error,response";

    private JaegerExport() {
    }

    /** One span of a generated trace. */
    private record Span(String traceId, String spanId, String parent, String service, String operation, long startMicros,
            long durationMicros, boolean error, String response) {

        String row() {
            return traceId + "," + spanId + "," + parent + "," + service + "," + operation + "," + startMicros + ","
                    + durationMicros + "," + (error ? "True" : "False") + "," + response;
        }
    }

    static String export(Cluster c, String namespace, int minutes, Map<String, String> files) {
        long epoch = SimulatedTime.instant(c.seed, c.now).getEpochSecond();
        String path = PrometheusExport.WORKING_DIRECTORY + "/trace_output/traces_" + epoch + ".csv";
        StringBuilder out = new StringBuilder(COLUMNS).append('\n');
        // another namespace has no jaeger service to reach, and AIOpsLab then writes an empty table
        if (namespace.equals(c.namespace) && !c.docker) {
            List<List<Span>> traces = traces(c, minutes);
            // Jaeger's service list, each service's traces in turn
            Map<String, List<List<Span>>> byService = new TreeMap<>();
            for (List<Span> trace : traces) {
                for (Span span : trace) {
                    List<List<Span>> list = byService.computeIfAbsent(span.service(), k -> new ArrayList<>());
                    if (list.isEmpty() || list.getLast() != trace) {
                        list.add(trace);
                    }
                }
            }
            byService.values().forEach(list -> list.forEach(trace -> trace.forEach(s -> out.append(s.row()).append('\n'))));
        }
        files.put(path, out.toString());
        return "Traces data exported to: " + path;
    }

    private static List<List<Span>> traces(Cluster c, int minutes) {
        SplittableRandom r = new SplittableRandom(c.seed * 1_000_003L + c.now * 17 + minutes);
        Symptom symptom = c.fault.symptom(c);
        List<String> faultPath = symptom == null ? List.of() : c.topology.pathTo(symptom.origin());
        long nowMicros = SimulatedTime.instant(c.seed, c.now).getEpochSecond() * 1_000_000L;
        int count = Math.max(4, Math.min(minutes * 2, 12));
        List<List<Span>> traces = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> path = !faultPath.isEmpty() && i % 2 == 0 ? faultPath : randomPath(c, r);
            boolean viaOrigin = symptom != null && path.contains(symptom.origin());
            boolean failed = viaOrigin && (symptom.originDown() || r.nextDouble() < symptom.errorRate())
                    && symptom.callerError() != null;
            long start = nowMicros - (long) r.nextInt(Math.max(60, minutes * 60)) * 1_000_000L - r.nextInt(1_000_000);
            List<Span> trace = trace(c, r, path, symptom, failed, start);
            if (!trace.isEmpty()) {
                traces.add(trace);
            }
        }
        return traces;
    }

    /** The spans of one request along {@code path}: one per instrumented service that is serving. */
    private static List<Span> trace(Cluster c, SplittableRandom r, List<String> path, Symptom symptom, boolean failed,
            long start) {
        // where the request stops: a service that serves nothing, or the down origin
        int reach = path.size();
        for (int k = 0; k < path.size(); k++) {
            String service = path.get(k);
            boolean down = symptom != null && symptom.originDown() && service.equals(symptom.origin());
            if (down || !serving(c, service)) {
                reach = k;
                break;
            }
        }
        boolean stopped = reach < path.size();
        String traceId = hex(r, c.topology.app().name().equals("AstronomyShop") ? 32 : 16);
        long[] durations = new long[path.size()];
        long below = 0;
        for (int k = reach - 1; k >= 0; k--) {
            String service = path.get(k);
            double own = 300 + r.nextInt(4000);
            if (symptom != null && service.equals(symptom.origin())) {
                own += symptom.ownLatencyMs() * 1000 * (0.9 + r.nextDouble() * 0.2);
            }
            if (symptom != null && k + 1 < path.size() && path.get(k + 1).equals(symptom.origin())) {
                own += symptom.callDelayMs() * 1000;
            }
            below += (long) own;
            durations[k] = below;
        }
        List<Span> spans = new ArrayList<>();
        String parent = "ROOT";
        long offset = 0;
        for (int k = 0; k < reach; k++) {
            String service = path.get(k);
            if (!instrumented(c, service)) {
                continue;
            }
            // an error travels back up from where the request failed
            boolean error = failed || stopped;
            String id = hex(r, 16);
            String response = k == 0 ? (error ? "500" : "200") : "Unknown";
            spans.add(new Span(traceId, id, parent, jaegerName(c, service), operation(c, service), start + offset,
                    durations[k], error, response));
            parent = id;
            offset += 50 + r.nextInt(400);
        }
        return spans;
    }

    private static boolean serving(Cluster c, String service) {
        return !c.fault.stalls(c, service) && c.podsOf(service).stream().anyMatch(p -> p.ready && !p.paused)
                && (c.docker || c.services.containsKey(service) && !c.endpointPods(service).isEmpty());
    }

    private static boolean instrumented(Cluster c, String service) {
        return !c.topology.isDatabase(service) && !service.equals("consul") && !service.equals("jaeger")
                && !service.equals("kafka") && !c.topology.observability().contains(service);
    }

    private static String jaegerName(Cluster c, String service) {
        return service.equals("nginx-thrift") ? "nginx-web-server" : service;
    }

    private static String operation(Cluster c, String service) {
        return switch (c.topology.app().name()) {
            case "HotelReservation" -> switch (service) {
                case "frontend" -> "HTTP GET /hotels";
                case "search" -> "/search.Search/Nearby";
                case "geo" -> "/geo.Geo/Nearby";
                case "rate" -> "/rate.Rate/GetRates";
                case "profile" -> "/profile.Profile/GetProfiles";
                case "recommendation" -> "/recommendation.Recommendation/GetRecommendations";
                case "reservation" -> "/reservation.Reservation/MakeReservation";
                case "user" -> "/user.User/CheckUser";
                default -> service;
            };
            case "SocialNetwork" -> service.equals("nginx-thrift") ? "/wrk2-api/post/compose"
                    : service.replace("-service", "").replace('-', '_') + "_server";
            default -> switch (service) {
                case "frontend-proxy" -> "ingress";
                case "frontend" -> "GET /api/products";
                case "ad" -> "oteldemo.AdService/GetAds";
                case "cart" -> "POST /oteldemo.CartService/GetCart";
                case "checkout" -> "oteldemo.CheckoutService/PlaceOrder";
                case "currency" -> "Currency/Convert";
                case "payment" -> "oteldemo.PaymentService/Charge";
                case "product-catalog" -> "oteldemo.ProductCatalogService/GetProduct";
                case "recommendation" -> "/oteldemo.RecommendationService/ListRecommendations";
                case "shipping" -> "oteldemo.ShippingService/GetQuote";
                case "quote" -> "POST /getquote";
                case "email" -> "POST /send_order_confirmation";
                case "flagd" -> "flagd.evaluation.v1.Service/ResolveBoolean";
                default -> "GET";
            };
        };
    }

    private static List<String> randomPath(Cluster c, SplittableRandom r) {
        List<String> path = new ArrayList<>(List.of(c.topology.entry()));
        for (int depth = 0; depth < 4; depth++) {
            List<String> next = c.topology.callees(path.getLast());
            if (next.isEmpty()) {
                break;
            }
            String callee = next.get(r.nextInt(next.size()));
            if (path.contains(callee)) {
                break;
            }
            path.add(callee);
        }
        return path;
    }

    private static String hex(SplittableRandom r, int digits) {
        StringBuilder out = new StringBuilder();
        while (out.length() < digits) {
            String part = Long.toHexString(r.nextLong() | Long.MIN_VALUE);
            out.append(part, 0, Math.min(part.length(), digits - out.length()));
        }
        return out.toString();
    }
}
