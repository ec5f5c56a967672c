package io.hrlf.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets this JVM listens on, as the kernel reports them: the socket inodes among
 * {@code /proc/self/fd}, looked up in {@code /proc/net/tcp} and {@code /proc/net/tcp6}. Linux only.
 */
final class ListeningSockets {
    private static final String LISTEN = "0A";
    private static final int LOCAL_ADDRESS = 1;
    private static final int STATE = 3;
    private static final int INODE = 9;

    private ListeningSockets() {}

    static List<InetSocketAddress> ofThisProcess() {
        Set<String> inodes = socketInodes();
        List<InetSocketAddress> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(1, lines.size())) { // the first line is the header
                    String[] fields = line.trim().split("\\s+");
                    if (fields[STATE].equals(LISTEN) && inodes.contains(fields[INODE])) {
                        listening.add(parse(fields[LOCAL_ADDRESS]));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return listening;
    }

    private static Set<String> socketInodes() {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while listing is no listening socket
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inodes;
    }

    /**
     * "0100007F:1F90" (tcp) or 32 hex digits and a port (tcp6): the address is stored as 32-bit words
     * in the kernel's (little-endian) byte order, the port in big-endian hex.
     */
    static InetSocketAddress parse(String hexAddressAndPort) {
        String[] parts = hexAddressAndPort.split(":");
        byte[] raw = HexFormat.of().parseHex(parts[0]);
        byte[] address = new byte[raw.length];
        for (int word = 0; word < raw.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                address[word + i] = raw[word + 3 - i];
            }
        }
        try {
            // an IPv4-mapped IPv6 address (a dual-stack socket bound to 127.0.0.1) comes back as Inet4Address
            return new InetSocketAddress(InetAddress.getByAddress(address), Integer.parseInt(parts[1], 16));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(hexAddressAndPort, e);
        }
    }
}
