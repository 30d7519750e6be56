package org.wsgi4j.uwsgi.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The CIDR blocks whose TCP peers may talk uwsgi to us. A uwsgi peer is trusted completely (it
 * states REMOTE_ADDR and HTTPS itself), so only the proxies should be listed.
 */
public final class AllowList {

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private AllowList(List<Block> blocks) {
        this.blocks = blocks;
    }

    /**
     * Parses entries such as {@code 127.0.0.0/8}, {@code ::1} or {@code 10.0.0.7}; only literal
     * addresses are accepted (no name lookups).
     *
     * @throws IllegalArgumentException naming the entry that is not an address or CIDR block
     */
    public static AllowList parse(List<String> entries) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : entries) {
            blocks.add(parseBlock(entry));
        }
        return new AllowList(blocks);
    }

    private static Block parseBlock(String entry) {
        int slash = entry.indexOf('/');
        String host = slash < 0 ? entry : entry.substring(0, slash);
        if (!isLiteral(host)) {
            throw new IllegalArgumentException("allow entry '" + entry + "' is not an IP address or CIDR block");
        }
        byte[] network;
        try {
            network = InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("allow entry '" + entry + "' is not an IP address or CIDR block", e);
        }
        int bits = network.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("allow entry '" + entry + "' has a prefix length outside 0-" + bits);
            }
        }
        return new Block(network, prefix);
    }

    /** Digits, dots, colons and hex only, so that InetAddress never resolves a name. */
    private static boolean isLiteral(String host) {
        if (host.isEmpty()) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = c >= '0' && c <= '9' || c == '.' || c == ':'
                    || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (!ok) {
                return false;
            }
        }
        return host.indexOf(':') >= 0 || host.chars().filter(c -> c == '.').count() == 3;
    }

    /** Whether {@code peer} may connect; IPv4-mapped IPv6 peers are checked as IPv4. */
    public boolean allows(InetAddress peer) {
        byte[] address = peer.getAddress();
        if (address.length == 16 && isV4Mapped(address)) {
            address = new byte[] {address[12], address[13], address[14], address[15]};
        }
        for (Block block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isV4Mapped(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xFF && address[11] == (byte) 0xFF;
    }
}
