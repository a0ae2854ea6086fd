package io.recur.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recur.backend.BinaryOp;
import io.recur.backend.ScalarOp;
import io.recur.backend.UnaryOp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Java op codes equal the enums of kernels/ops.cuh, name by name. */
class OpCodesTest {
    private static List<String> cudaEnum(String name, String prefix) throws IOException {
        String src = Files.readString(Path.of("kernels/ops.cuh"));
        Matcher m = Pattern.compile("enum " + name + "\\s*\\{([^}]*)}").matcher(src);
        assertTrue(m.find(), "enum " + name + " in ops.cuh");
        List<String> names = new ArrayList<>();
        for (String item : m.group(1).split(",")) {
            String n = item.trim().split("\\s*=")[0];
            assertTrue(n.startsWith(prefix), n);
            names.add(n.substring(prefix.length()));
        }
        return names;
    }

    private static <E extends Enum<E>> void check(Class<E> type, ToIntFunction<E> code, String cudaName, String prefix) throws IOException {
        List<String> cuda = cudaEnum(cudaName, prefix);
        E[] ops = type.getEnumConstants();
        assertEquals(cuda.size(), ops.length, type.getSimpleName() + " vs " + cudaName + " " + cuda);
        for (E op : ops) assertEquals(op.name(), cuda.get(code.applyAsInt(op)), type.getSimpleName() + "." + op);
    }

    @Test
    void unaryCodesMatch() throws IOException { check(UnaryOp.class, OpCodes::unary, "UnaryCode", "U_"); }

    @Test
    void scalarCodesMatch() throws IOException { check(ScalarOp.class, OpCodes::scalar, "ScalarCode", "S_"); }

    @Test
    void binaryCodesMatch() throws IOException { check(BinaryOp.class, OpCodes::binary, "BinaryCode", "B_"); }
}
