package dev.rolloutbatch.episode;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This process as episode rows name it in {@code worker_id}: {@code <host>-<pid>}. */
public final class ProcessName {

    private ProcessName() {
    }

    public static String current() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
