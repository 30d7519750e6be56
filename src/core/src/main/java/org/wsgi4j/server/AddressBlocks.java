package org.wsgi4j.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of IP address blocks ({@code 127.0.0.0/8}, {@code ::1}, {@code 10.1.0.0/16}): the peers a
 * front end trusts, such as the proxies allowed to state the client's address. Only literal
 * addresses are accepted, so parsing never looks a name up. Immutable and thread-safe.
 */
public final class AddressBlocks {

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

    private static final AddressBlocks NONE = new AddressBlocks(List.of());

    private final List<Block> blocks;

    private AddressBlocks(List<Block> blocks) {
        this.blocks = blocks;
    }

    /**
     * No address at all.
     *
     * @return the empty set of blocks, which contains nothing
     */
    public static AddressBlocks none() {
        return NONE;
    }

    /**
     * Parses entries such as {@code 127.0.0.0/8}, {@code ::1} or {@code 10.0.0.7}.
     *
     * @param entries literal addresses or CIDR blocks, surrounding whitespace ignored; never resolved as names
     * @return the blocks
     * @throws IllegalArgumentException naming the entry that is not an IP address or CIDR block, or whose prefix
     *                                  length is outside 0-32 (IPv4) or 0-128 (IPv6)
     */
    public static AddressBlocks parse(List<String> entries) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : entries) {
            blocks.add(parseBlock(entry.strip()));
        }
        return new AddressBlocks(List.copyOf(blocks));
    }

    private static Block parseBlock(String entry) {
        int slash = entry.indexOf('/');
        String host = slash < 0 ? entry : entry.substring(0, slash);
        byte[] network = literal(host);
        if (network == null) {
            throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block");
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
                throw new IllegalArgumentException("'" + entry + "' has a prefix length outside 0-" + bits);
            }
        }
        return new Block(network, prefix);
    }

    /**
     * The bytes of a literal IPv4 or IPv6 address (IPv6 may be in brackets), or {@code null} when
     * {@code text} is not one; never resolves a name.
     *
     * @param text a candidate address
     * @return 4 bytes for IPv4, 16 for IPv6, or {@code null}
     */
    public static byte[] literal(String text) {
        String host = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (host.isEmpty()) {
            return null;
        }
        if (host.indexOf(':') < 0) {
            return ipv4(host);
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = c >= '0' && c <= '9' || c == '.' || c == ':'
                    || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (!ok) {
                return null;
            }
        }
        try {
            // A text with a colon is only ever taken as an IPv6 literal: InetAddress refuses it
            // without a lookup when it is not one.
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Four decimal octets 0-255 separated by dots, without leading zeros (which some parsers read
     * as octal); parsed here, because {@link InetAddress#getByName} would look up anything else.
     */
    private static byte[] ipv4(String host) {
        byte[] address = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= host.length(); i++) {
            char c = i < host.length() ? host.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || part == 4) {
                    return null;
                }
                address[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits > 0 && value == 0) {
                    return null;
                }
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? address : null;
    }

    /**
     * Whether {@code address} lies in one of the blocks; IPv4-mapped IPv6 addresses are checked as IPv4.
     *
     * @param address the address to check
     * @return true if a block contains it
     */
    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /**
     * Whether the literal address {@code text} lies in one of the blocks.
     *
     * @param text a literal IPv4 or IPv6 address (IPv6 may be in brackets)
     * @return true if a block contains it; false when it is not a literal
     */
    public boolean contains(String text) {
        byte[] address = literal(text);
        return address != null && contains(address);
    }

    private boolean contains(byte[] address) {
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

    /**
     * Whether there are no blocks.
     *
     * @return true if this contains no address
     */
    public boolean isEmpty() {
        return blocks.isEmpty();
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
