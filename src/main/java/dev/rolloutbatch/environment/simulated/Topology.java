package dev.rolloutbatch.environment.simulated;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.rolloutbatch.catalog.Application;

/** Static facts about an application: ports, images, container names and who calls whom. */
final class Topology {

    private final Application app;
    private final Map<String, List<String>> calls = new LinkedHashMap<>();

    Topology(Application app) {
        this.app = app;
        switch (app.name()) {
            case "SocialNetwork" -> {
                edge("nginx-thrift", "compose-post-service", "home-timeline-service", "user-timeline-service",
                        "user-service", "social-graph-service", "media-service", "unique-id-service");
                edge("media-frontend", "media-mongodb");
                edge("compose-post-service", "text-service", "user-service", "unique-id-service", "media-service",
                        "post-storage-service", "user-timeline-service", "home-timeline-service");
                edge("text-service", "url-shorten-service", "user-mention-service");
                edge("url-shorten-service", "url-shorten-mongodb", "url-shorten-memcached");
                edge("user-mention-service", "user-mongodb", "user-memcached");
                edge("user-service", "user-mongodb", "user-memcached", "social-graph-service");
                edge("post-storage-service", "post-storage-mongodb", "post-storage-memcached");
                edge("home-timeline-service", "home-timeline-redis", "post-storage-service", "social-graph-service");
                edge("user-timeline-service", "user-timeline-mongodb", "user-timeline-redis", "post-storage-service");
                edge("social-graph-service", "social-graph-mongodb", "social-graph-redis", "user-service");
                edge("media-service", "media-mongodb", "media-memcached");
            }
            case "HotelReservation" -> {
                edge("frontend", "search", "profile", "recommendation", "reservation", "user");
                edge("search", "geo", "rate");
                edge("geo", "mongodb-geo");
                edge("rate", "mongodb-rate", "memcached-rate");
                edge("profile", "mongodb-profile", "memcached-profile");
                edge("recommendation", "mongodb-recommendation");
                edge("reservation", "mongodb-reservation", "memcached-reserve");
                edge("user", "mongodb-user");
            }
            case "AstronomyShop" -> {
                edge("load-generator", "frontend-proxy");
                edge("frontend-proxy", "frontend", "image-provider", "flagd");
                edge("frontend", "ad", "cart", "checkout", "currency", "product-catalog", "recommendation",
                        "shipping", "quote");
                edge("checkout", "cart", "currency", "email", "payment", "product-catalog", "shipping", "kafka");
                edge("cart", "valkey-cart", "flagd");
                edge("recommendation", "product-catalog", "flagd");
                edge("shipping", "quote");
                edge("ad", "flagd");
                edge("payment", "flagd");
                edge("product-catalog", "flagd");
                edge("kafka", "accounting", "fraud-detection");
            }
            case "Flower" -> {
                edge("superlink", "supernode-1", "supernode-2", "serverapp");
                edge("supernode-1", "clientapp-1");
                edge("supernode-2", "clientapp-2");
            }
            default -> {
            }
        }
    }

    private void edge(String from, String... to) {
        calls.put(from, List.of(to));
    }

    Application app() {
        return app;
    }

    /**
     * The demo's own observability deployments, which share the astronomy-shop namespace with the application
     * (the OpenTelemetry demo chart installs them there; AIOpsLab's get_traces reads the jaeger pod in it).
     * AIOpsLab: aiopslab/observer/trace_api.py (pod label app.kubernetes.io/name=jaeger in astronomy-shop)
     */
    List<String> observability() {
        return app.name().equals("AstronomyShop") ? List.of("grafana", "jaeger", "otel-collector", "prometheus")
                : List.of();
    }

    String entry() {
        return switch (app.name()) {
            case "SocialNetwork" -> "nginx-thrift";
            case "AstronomyShop" -> "frontend-proxy";
            case "Flower" -> "superlink";
            default -> "frontend";
        };
    }

    List<String> callees(String service) {
        return calls.getOrDefault(service, List.of());
    }

    /** Services that call {@code service}. */
    List<String> callers(String service) {
        List<String> result = new ArrayList<>();
        calls.forEach((from, to) -> {
            if (to.contains(service)) {
                result.add(from);
            }
        });
        return result;
    }

    /** The shortest call path from the entry service to {@code target}, both included (empty if unreachable). */
    List<String> pathTo(String target) {
        Map<String, String> parent = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(entry()));
        parent.put(entry(), null);
        while (!queue.isEmpty()) {
            String current = queue.poll();
            if (current.equals(target)) {
                List<String> path = new ArrayList<>();
                for (String s = target; s != null; s = parent.get(s)) {
                    path.addFirst(s);
                }
                return path;
            }
            for (String next : callees(current)) {
                if (!parent.containsKey(next)) {
                    parent.put(next, current);
                    queue.add(next);
                }
            }
        }
        return List.of();
    }

    int port(String service) {
        if (service.endsWith("mongodb") || service.startsWith("mongodb-")) {
            return 27017;
        }
        if (service.contains("memcached")) {
            return 11211;
        }
        if (service.endsWith("redis") || service.equals("valkey-cart")) {
            return 6379;
        }
        if (service.equals("jaeger")) {
            return 16686;
        }
        return switch (app.name()) {
            case "SocialNetwork" -> switch (service) {
                case "nginx-thrift" -> 8080;
                case "media-frontend" -> 8081;
                default -> 9090;
            };
            case "HotelReservation" -> switch (service) {
                case "consul" -> 8500;
                case "frontend" -> 5000;
                case "geo" -> 8083;
                case "profile" -> 8081;
                case "rate" -> 8084;
                case "recommendation" -> 8085;
                case "reservation" -> 8087;
                case "search" -> 8082;
                case "user" -> 8086;
                default -> 8080;
            };
            case "AstronomyShop" -> switch (service) {
                case "kafka" -> 9092;
                case "flagd" -> 8013;
                case "grafana" -> 3000;
                case "otel-collector" -> 4317;
                case "prometheus" -> 9090;
                case "load-generator" -> 8089;
                default -> 8080;
            };
            default -> 9092;
        };
    }

    String container(String service) {
        return switch (app.name()) {
            case "HotelReservation" -> "hotel-reserv-" + service;
            default -> service;
        };
    }

    String image(String service) {
        if (service.endsWith("mongodb") || service.startsWith("mongodb-")) {
            return "mongo:4.4.6";
        }
        if (service.contains("memcached")) {
            return "memcached:1.6.7";
        }
        if (service.endsWith("redis")) {
            return "redis:6.2.4";
        }
        if (service.equals("jaeger")) {
            return "jaegertracing/all-in-one:1.57";
        }
        return switch (app.name()) {
            case "SocialNetwork" -> service.equals("nginx-thrift") || service.equals("media-frontend")
                    ? "docker.io/yg397/openresty-thrift:xenial" : "docker.io/deathstarbench/social-network-microservices:latest";
            case "HotelReservation" -> service.equals("consul") ? "hashicorp/consul:1.15"
                    : "yinfangchen/hotelreservation:latest";
            case "AstronomyShop" -> switch (service) {
                case "valkey-cart" -> "valkey/valkey:7.2-alpine";
                case "flagd" -> "ghcr.io/open-feature/flagd:v0.11.1";
                case "kafka" -> "ghcr.io/open-telemetry/demo:1.12.0-kafka";
                case "grafana" -> "grafana/grafana:11.5.2";
                case "otel-collector" -> "otel/opentelemetry-collector-contrib:0.120.0";
                case "prometheus" -> "quay.io/prometheus/prometheus:v3.1.0";
                default -> "ghcr.io/open-telemetry/demo:1.12.0-" + service;
            };
            default -> "flwr/" + (service.startsWith("super") ? service.replaceAll("-\\d+$", "") : "flwr") + ":1.15.2";
        };
    }

    /** The container command, where the application sets one (HotelReservation runs one Go binary per service). */
    List<String> command(String service) {
        if (app.name().equals("HotelReservation") && !service.startsWith("mongodb") && !service.startsWith("memcached")
                && !service.equals("consul") && !service.equals("jaeger")) {
            return List.of(service);
        }
        return List.of();
    }

    boolean isDatabase(String service) {
        return service.contains("mongodb") || service.contains("memcached") || service.contains("redis")
                || service.equals("valkey-cart");
    }
}
