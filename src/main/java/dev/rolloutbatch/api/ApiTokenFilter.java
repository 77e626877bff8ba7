package dev.rolloutbatch.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * When {@code rollout.api.token} (env {@code ROLLOUTS_API_TOKEN}) is set, every request but {@code /health} must
 * carry {@code Authorization: Bearer <token>}; otherwise 401. Without a token the server is open (and listens on
 * 127.0.0.1 unless configured otherwise). The dashboard's static pages ({@code /dashboard/}) hold no data and are
 * open too: their scripts ask for the token and send it on every {@code /api/dashboard} call.
 */
@Component
@Profile("serve")
class ApiTokenFilter extends OncePerRequestFilter {

    private final byte[] token;

    ApiTokenFilter(ApiProperties properties) {
        this.token = properties.token().isBlank() ? null
                : ("Bearer " + properties.token().strip()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return token == null || path.equals("/health") || path.startsWith("/health/") || path.equals("/dashboard")
                || path.startsWith("/dashboard/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && MessageDigest.isEqual(token, header.strip().getBytes(StandardCharsets.UTF_8))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getWriter().write("{\"status\":401,\"error\":\"missing or wrong bearer token\"}");
    }
}
