// kernel/auditsc.c, audit_log_single_execve_arg(), v4.7: CVE-2016-6136 (Pengfei Wang's double-fetch study).
// The argument string is read from user memory once to look for control characters, which decides
// whether it is logged as a quoted string or as hex, and read again to be logged; another thread of the
// process can change it in between and put control characters into a record logged as a plain string.
// Paul Moore's 43761473c254 "audit: fix a double fetch in audit_log_single_execve_arg()" (v4.8) reads
// each chunk once. The audit record plumbing is a stub; the user reads and the checks are the kernel's.
using System;
using UserAccess.Runtime;
using UserAccess.Runtime.Annotations;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace KernelCorpus.Defects.AuditExecveArg;

public static class Auditsc
{
    private const int MAX_EXECVE_AUDIT_LEN = 7500;
    private const int MAX_ARG_STRLEN = 4096 * 32;

    // kernel/auditsc.c, audit_log_single_execve_arg(), v4.7 (the record is a stub; buf has room for
    // MAX_EXECVE_AUDIT_LEN + 1 bytes). Buggy: the rewalk copies the argument from user memory again and
    // logs it according to the control-character check made on the first copy.
    public static long AuditLogSingleExecveArgV47(Helpers.AuditBuffer ab, int argNum, ref long lenSent, UserPtr p, byte[] buf)
    {
        long argNumLen = argNum.ToString().Length + 5;
        UserPtr tmpP = p;
        long len, lenLeft, toSend;
        long maxExecveAuditLen = MAX_EXECVE_AUDIT_LEN;
        int i;
        bool hasCntl = false, tooLong = false;
        int ret;

        /* strnlen_user includes the null we don't want to send */
        lenLeft = len = Helpers.StrnlenUser(p, MAX_ARG_STRLEN) - 1;

        /*
         * We just created this mm, if we can't find the strings
         * we just copied into it something is _very_ wrong. Similar
         * for strings that are too long, we should not have created
         * any.
         */
        if (len < 0 || len > MAX_ARG_STRLEN - 1)
        {
            Helpers.SendSigkill();
            return -1;
        }

        /* walk the whole argument looking for non-ascii chars */
        do
        {
            if (lenLeft > MAX_EXECVE_AUDIT_LEN)
                toSend = MAX_EXECVE_AUDIT_LEN;
            else
                toSend = lenLeft;
            ret = CopyFromUser(buf.AsSpan(0, (int)toSend), tmpP);
            /*
             * There is no reason for this copy to be short. We just
             * copied them here, and the mm hasn't been exposed to user-
             * space yet.
             */
            if (ret != 0)
            {
                Helpers.SendSigkill();
                return -1;
            }
            buf[toSend] = 0;
            hasCntl = Helpers.AuditStringContainsControl(buf, toSend);
            if (hasCntl)
            {
                /*
                 * hex messages get logged as 2 bytes, so we can only
                 * send half as much in each message
                 */
                maxExecveAuditLen = MAX_EXECVE_AUDIT_LEN / 2;
                break;
            }
            lenLeft -= toSend;
            tmpP += toSend;
        }
        while (lenLeft > 0);

        lenLeft = len;

        if (len > maxExecveAuditLen)
            tooLong = true;

        /* rewalk the argument actually logging the message */
        for (i = 0; lenLeft > 0; i++)
        {
            long roomLeft;

            if (lenLeft > maxExecveAuditLen)
                toSend = maxExecveAuditLen;
            else
                toSend = lenLeft;

            /* do we have space left to send this argument in this ab? */
            roomLeft = MAX_EXECVE_AUDIT_LEN - argNumLen - lenSent;
            if (hasCntl)
                roomLeft -= toSend * 2;
            else
                roomLeft -= toSend;
            if (roomLeft < 0)
            {
                lenSent = 0;
                Helpers.AuditLogRestart(ab);
            }

            /*
             * normally arguments are small enough to fit and we already
             * filled buf above when we checked for control characters
             * so don't bother with another copy_from_user
             */
            if (len >= maxExecveAuditLen)
                ret = CopyFromUser(buf.AsSpan(0, (int)toSend), p); // expect: UA3003
            else
                ret = 0;
            if (ret != 0)
            {
                Helpers.SendSigkill();
                return -1;
            }
            buf[toSend] = 0;

            /* actually log it */
            if (hasCntl)
                Helpers.AuditLogNHex(ab, buf, toSend);
            else
                Helpers.AuditLogString(ab, buf);

            p += toSend;
            lenLeft -= toSend;
            lenSent += argNumLen;
            if (hasCntl)
                lenSent += toSend * 2;
            else
                lenSent += toSend;
        }
        /* include the null we didn't log */
        return len + 1;
    }
}

public static class Helpers
{
    /// <summary>struct audit_buffer, reduced to the text logged.</summary>
    public sealed class AuditBuffer
    {
        public string Text = "";
    }

    /// <summary>strnlen_user(): the length including the NUL, 0 on a fault.</summary>
    [MightFault]
    public static long StrnlenUser(UserPtr str, long n) => 1;

    public static void SendSigkill()
    {
    }

    public static bool AuditStringContainsControl(byte[] buf, long len)
    {
        for (long i = 0; i < len; i++)
        {
            if (buf[i] == (byte)'"' || buf[i] < 0x21 || buf[i] > 0x7e)
                return true;
        }
        return false;
    }

    public static void AuditLogRestart(AuditBuffer ab) => ab.Text = "";

    public static void AuditLogNHex(AuditBuffer ab, byte[] buf, long len) => ab.Text += Convert.ToHexString(buf, 0, (int)len);

    public static void AuditLogString(AuditBuffer ab, byte[] buf) => ab.Text += System.Text.Encoding.ASCII.GetString(buf);
}
