package vectorlstm.cli;

import picocli.CommandLine.IVersionProvider;
import vectorlstm.kernels.KernelProvider;

/** {@code ./lstm --version}: our version (from the jar's manifest), the Java running it and the kernels chosen. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "vector-lstm " + (version == null ? "(development build)" : version),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + "), " + Runtime.getRuntime().availableProcessors() + " cores",
            "kernels: " + KernelProvider.get().description(),
        };
    }
}
