package io.hrlf.testkit;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Where the demo and the embedded broker listen: the loopback unless an operator asks for another address. */
public final class BindAddress {
    public static final String LOOPBACK = "127.0.0.1";

    private BindAddress() {}

    /**
     * The address clients are told to connect to: the bind address itself, or for a wildcard bind
     * ({@code 0.0.0.0}, {@code ::}) this machine's name, since a wildcard is no address to connect to.
     */
    public static String reachableAs(String bindAddress) {
        try {
            return InetAddress.getByName(bindAddress).isAnyLocalAddress()
                    ? InetAddress.getLocalHost().getCanonicalHostName() : bindAddress;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown bind address " + bindAddress, e);
        }
    }
}
