/// The two scripts Gradescope runs, written verbatim into the bundle. Both read `belay-bundle.env` (written by
/// ``GradescopeBundle``) and take an overridable root, `BELAY_AUTOGRADER_ROOT` (default `/autograder`), so a test
/// can run them in a scratch folder laid out like Gradescope's.
extension GradescopeBundle {
    /// Run once, as root, when Gradescope builds the autograder image: checks glibc, that `belay` starts with
    /// the bundled libraries, and installs the Python that runs handed-in notebooks.
    static let setupScript = #"""
        #!/usr/bin/env bash
        # Belay's Gradescope setup: run once, as root, while Gradescope builds the autograder image.
        # Fails (and so does the image build, with this message) when the image cannot run this bundle's belay.
        set -euo pipefail
        here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
        root="${BELAY_AUTOGRADER_ROOT:-/autograder}"
        # shellcheck source=/dev/null
        source "$here/belay-bundle.env"

        # A zip extracted without its permission bits must still run.
        chmod 0755 "$here/run_autograder" "$here/bin/belay" "$here/bin/belay-sandbox-init"
        [ -f "$root/run_autograder" ] && chmod 0755 "$root/run_autograder"

        have="$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')"
        if [ -z "$have" ] || [ "$(printf '%s\n%s\n' "$BELAY_GLIBC_NEEDED" "$have" | sort -V | head -n1)" != "$BELAY_GLIBC_NEEDED" ]; then
          echo "belay setup: this image has glibc ${have:-unknown}, and the belay in this bundle needs glibc $BELAY_GLIBC_NEEDED or newer" >&2
          echo "(it was built on $BELAY_BUILT_ON). In the autograder settings choose the base image $BELAY_BASE_IMAGE or newer," >&2
          echo "or build the bundle on a system with an older glibc." >&2
          exit 1
        fi

        if ! LD_LIBRARY_PATH="$here/lib" "$here/bin/belay" --help >/dev/null 2>/tmp/belay-setup-error; then
          echo "belay setup: the bundled belay does not start on this image:" >&2
          cat /tmp/belay-setup-error >&2
          echo "It needs glibc $BELAY_GLIBC_NEEDED and libstdc++ with GLIBCXX_$BELAY_GLIBCXX_NEEDED or newer from the image:" >&2
          echo "choose the base image $BELAY_BASE_IMAGE or newer in the autograder settings." >&2
          exit 1
        fi
        echo "belay setup: belay $BELAY_VERSION starts (glibc $have; needs $BELAY_GLIBC_NEEDED)"

        # Handed-in notebooks are run by nbclient in a fresh ipykernel: a Python of their own, in a virtual
        # environment, with the packages of python-requirements.txt (edit it to add what your notebooks import).
        if [ "$BELAY_RUN_NOTEBOOKS" = 1 ] && [ "${BELAY_SETUP_SKIP_PYTHON:-0}" != 1 ]; then
          if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv python3-pip
          fi
          # --copies: Belay runs the interpreter's real path, and a venv's python linked to /usr/bin/python3
          # would run without the venv's packages.
          python3 -m venv --copies "$root/belay-python"
          "$root/belay-python/bin/python" -m pip install -q --disable-pip-version-check -r "$here/python-requirements.txt"
          echo "belay setup: notebooks run with $("$root/belay-python/bin/python" --version)"
        fi
        """#

    /// Run for every submission: grades `submission/` with `belay check --instructor --gradescope`, and makes
    /// sure `results/results.json` exists whatever happens (a score of 0 that explains what went wrong).
    static let runScript = #"""
        #!/usr/bin/env bash
        # Belay's Gradescope autograder: grades /autograder/submission into /autograder/results/results.json.
        # Gradescope always gets a results.json: if belay cannot start, crashes or runs out of time, the file
        # gives a score of 0 and says why; the details are in this script's output (shown to instructors).
        set -uo pipefail
        root="${BELAY_AUTOGRADER_ROOT:-/autograder}"
        here="$root/source"
        results="$root/results"
        mkdir -p "$results"

        json_string() {
          local s="$1"
          s="${s//\\/\\\\}"; s="${s//\"/\\\"}"; s="${s//$'\n'/\\n}"; s="${s//$'\t'/ }"; s="${s//$'\r'/ }"
          printf '"%s"' "$s"
        }
        # Writes a results.json with score 0 and this explanation (student-visible), atomically.
        give_up() {
          local message="$1"
          local text="Belay could not grade this submission: $message

        This is a problem with the autograder, not a judgement of your work: please tell your instructor.
        (Instructors: the autograder output below the results has Belay's own messages.)"
          { printf '{"score": 0, "output": %s, "output_format": "text", "visibility": "visible", ' "$(json_string "$text")"
            printf '"stdout_visibility": "hidden", "tests": []}\n'; } > "$results/.results.json.tmp"
          mv -f "$results/.results.json.tmp" "$results/results.json"
          echo "belay autograder: $message"
        }

        if [ ! -f "$here/belay-bundle.env" ]; then
          give_up "the bundle is incomplete ($here/belay-bundle.env is missing). Upload the zip that 'belay gradescope bundle' wrote, unchanged."
          exit 0
        fi
        # shellcheck source=/dev/null
        source "$here/belay-bundle.env"
        timeout_seconds="${BELAY_TIMEOUT_OVERRIDE:-$BELAY_TIMEOUT}"

        # Written first, replaced below: if Gradescope stops this script at its own time limit, this one stays.
        give_up "grading was stopped before Belay finished (Belay's own limit is $timeout_seconds s; the assignment's autograder timeout on Gradescope must be longer)." >/dev/null

        have="$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')"
        if [ -z "$have" ] || [ "$(printf '%s\n%s\n' "$BELAY_GLIBC_NEEDED" "$have" | sort -V | head -n1)" != "$BELAY_GLIBC_NEEDED" ]; then
          give_up "this Gradescope image has glibc ${have:-unknown}, and the belay in the autograder needs glibc $BELAY_GLIBC_NEEDED or newer. Instructors: choose the base image $BELAY_BASE_IMAGE or newer in the autograder settings, or build the bundle on a system with an older glibc."
          exit 0
        fi

        submission="$root/submission"
        # A single uploaded .zip is graded as the archive (belay unpacks it safely).
        shopt -s nullglob dotglob
        entries=("$submission"/*)
        shopt -u nullglob dotglob
        if [ "${#entries[@]}" -eq 1 ] && [ -f "${entries[0]}" ] && [[ "${entries[0],,}" == *.zip ]]; then
          submission="${entries[0]}"
        fi

        args=(check "$submission" --instructor --rubric "$here/rubric.yaml" --gradescope "$results/.belay-results.json")
        [ "$BELAY_HAS_DATA" = 1 ] && args+=(--data "$here/data")
        [ -n "$BELAY_SHEET" ] && args+=(--sheet "$BELAY_SHEET")
        if [ "$BELAY_RUN_NOTEBOOKS" = 1 ] && [ -x "$root/belay-python/bin/python" ]; then
          args+=(--python "$root/belay-python/bin/python")
        else
          # No Python was installed (setup skipped it, or the bundle says not to run notebooks).
          args+=(--no-run-notebooks)
        fi
        rm -f "$results/.belay-results.json"
        echo "belay autograder: belay ${args[*]}"
        LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" NO_COLOR=1 \
          timeout --kill-after=10 "$timeout_seconds" "$here/bin/belay" "${args[@]}"
        status=$?

        if { [ "$status" -eq 0 ] || [ "$status" -eq 1 ]; } && [ -s "$results/.belay-results.json" ]; then
          mv -f "$results/.belay-results.json" "$results/results.json"
          exit 0
        fi
        case "$status" in
          124|137) give_up "Belay did not finish grading within $timeout_seconds s, its time limit in this autograder." ;;
          126|127) give_up "Belay could not start on this image (exit $status). It needs glibc $BELAY_GLIBC_NEEDED and libstdc++ with GLIBCXX_$BELAY_GLIBCXX_NEEDED or newer: instructors, choose the base image $BELAY_BASE_IMAGE or newer in the autograder settings." ;;
          64) give_up "Belay refused its configuration (exit 64: the rubric or the data in the bundle). Instructors: rebuild the bundle with 'belay gradescope bundle'." ;;
          0|1) give_up "Belay finished (exit $status) without writing its results." ;;
          *) if [ "$status" -gt 128 ]; then
               give_up "Belay stopped unexpectedly (signal $((status - 128)))."
             else
               give_up "Belay stopped unexpectedly (exit $status)."
             fi ;;
        esac
        exit 0
        """#

    /// What `setup.sh` installs into the notebook Python (the course notebook's imports, and nbclient/ipykernel,
    /// which run it).
    static let pythonRequirements = """
        nbclient
        ipykernel
        numpy
        pandas
        scipy
        scikit-learn
        h5py
        openpyxl
        matplotlib

        """
}
