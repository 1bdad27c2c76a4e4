import Foundation
import Testing

/// `make install PREFIX=...` puts the binary, both man pages and the shell completions in place; `make uninstall` removes them.
@Suite struct InstallTests {
    @Test func installAndUninstall() throws {
        let folder = TemporaryFolder()
        let prefix = folder.path + "/prefix"
        // -o release: the build under test is installed (BIN) rather than a release build made first.
        let make = ["make", "-C", repositoryRoot, "-o", "release", "PREFIX=" + prefix, "BIN=" + CommandLineTests.executable]
        let install = try runChild("/usr/bin/env", make + ["install"])
        #expect(install.status == 0, "\(String(decoding: install.stderr, as: UTF8.self))")
        let files = [
            "bin/smsarchive", "share/man/man1/smsarchive.1", "share/man/man5/smsarchive-format.5",
            "share/bash-completion/completions/smsarchive", "share/zsh/site-functions/_smsarchive",
            "share/fish/vendor_completions.d/smsarchive.fish",
        ]
        for file in files { #expect(FileManager.default.fileExists(atPath: prefix + "/" + file), "\(file)") }
        #expect(FileManager.default.isExecutableFile(atPath: prefix + "/bin/smsarchive"))
        #expect(try runChild(prefix + "/bin/smsarchive", ["--version"]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: prefix + "/share/man/man1/smsarchive.1"))
                == Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/man/smsarchive.1")))
        for completion in files.filter({ $0.contains("completion") || $0.contains("zsh") }) {
            let text = try String(contentsOfFile: prefix + "/" + completion, encoding: .utf8)
            #expect(text.contains("convert") && text.contains("buffer-size") && text.contains("time-unit"), "\(completion)")
        }

        let uninstall = try runChild("/usr/bin/env", make + ["uninstall"])
        #expect(uninstall.status == 0)
        for file in files { #expect(!FileManager.default.fileExists(atPath: prefix + "/" + file), "\(file)") }
    }
}
