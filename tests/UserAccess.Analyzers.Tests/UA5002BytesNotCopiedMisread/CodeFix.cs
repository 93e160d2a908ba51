using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA5002BytesNotCopiedMisread;

public class CodeFix
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA5002BytesNotCopiedMisreadAnalyzer, UA5002BytesNotCopiedMisreadCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    [Fact]
    public Task ComparisonsWithTheSizeOrWithZeroAsAnErrnoBecomeNotEqualZero() => Verify(
        """
        namespace Sim;

        public static class Ioctl
        {
            public static int GetArgs(UserPtr arg, byte[] buf, int n)
            {
                if ([|CopyFromUser(buf, arg) >= n|]) // short copy
                    return -EFAULT;
                if ([|CopyToUser(arg, buf) < 0|])
                    return -EFAULT;
                if ([|0 > CopyToUser(arg + 8, buf)|])
                    return -EFAULT;
                if ([|(CopyFromUser(buf, arg)) == -EFAULT|])
                    return -EFAULT;
                return 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class Ioctl
        {
            public static int GetArgs(UserPtr arg, byte[] buf, int n)
            {
                if (CopyFromUser(buf, arg) != 0) // short copy
                    return -EFAULT;
                if (CopyToUser(arg, buf) != 0)
                    return -EFAULT;
                if (CopyToUser(arg + 8, buf) != 0)
                    return -EFAULT;
                if (CopyFromUser(buf, arg) != 0)
                    return -EFAULT;
                return 0;
            }
        }
        """);

    [Fact]
    public Task SuccessTestsBecomeEqualZero() => Verify(
        """
        namespace Sim;

        public static class Ioctl
        {
            public static int Get(UserPtr arg, byte[] buf)
            {
                if ([|CopyFromUser(buf, arg) >= 0|])
                    return buf[0];
                return -EFAULT;
            }
        }
        """,
        """
        namespace Sim;

        public static class Ioctl
        {
            public static int Get(UserPtr arg, byte[] buf)
            {
                if (CopyFromUser(buf, arg) == 0)
                    return buf[0];
                return -EFAULT;
            }
        }
        """);

    [Fact]
    public Task ReturnedByteCountBecomesAnErrno() => Verify(
        """
        namespace Sim;

        public static class Stat
        {
            public static int Put(UserPtr to, byte[] stat)
            {
                if (stat.Length == 0)
                    return -EINVAL;
                // hand the result back
                return [|CopyToUser(to, stat)|]; // done
            }
        }
        """,
        """
        namespace Sim;

        public static class Stat
        {
            public static int Put(UserPtr to, byte[] stat)
            {
                if (stat.Length == 0)
                    return -EINVAL;
                // hand the result back
                return CopyToUser(to, stat) != 0 ? -EFAULT : 0; // done
            }
        }
        """);

    // The kernel's most common shape: the count stored first, then tested or returned
    // (drivers' ioctl handlers: ret = copy_from_user(...); if (ret < 0) return ret;).
    [Fact]
    public Task ACountStoredInALocalFirstIsTestedWithZeroAndAnsweredWithEfault() => Verify(
        """
        namespace Sim;

        public static class Ioctl
        {
            public static int SetArgs(UserPtr arg, byte[] buf)
            {
                int ret = CopyFromUser(buf, arg);
                if ([|ret < 0|])
                    return ret;
                return 0;
            }

            public static int GetArgs(UserPtr arg, byte[] buf, int size)
            {
                if (size > buf.Length)
                    return -EINVAL;
                int left = CopyToUser(arg, buf);
                if ([|left >= size|])
                    return -EFAULT;
                return 0;
            }

            public static int Put(UserPtr arg, byte[] buf)
            {
                if (buf.Length == 0)
                    return -EINVAL;
                int ret = CopyToUser(arg, buf);
                return [|ret|];
            }
        }
        """,
        """
        namespace Sim;

        public static class Ioctl
        {
            public static int SetArgs(UserPtr arg, byte[] buf)
            {
                int ret = CopyFromUser(buf, arg);
                if (ret != 0)
                    return -EFAULT;
                return 0;
            }

            public static int GetArgs(UserPtr arg, byte[] buf, int size)
            {
                if (size > buf.Length)
                    return -EINVAL;
                int left = CopyToUser(arg, buf);
                if (left != 0)
                    return -EFAULT;
                return 0;
            }

            public static int Put(UserPtr arg, byte[] buf)
            {
                if (buf.Length == 0)
                    return -EINVAL;
                int ret = CopyToUser(arg, buf);
                return ret != 0 ? -EFAULT : 0;
            }
        }
        """);

    /// <summary>
    /// drivers/fsi/fsi-scom.c, scom_read() before "drivers/fsi/scom: Return -EFAULT if copy fails": the
    /// local also holds an errno earlier, but right after the copy it is the count, and the fix is the
    /// kernel's: the arm that returned it returns <c>-EFAULT</c>.
    /// </summary>
    [Fact]
    public Task CountArmOfAReturnedCheckBecomesEfault() => Verify(
        """
        using System;

        namespace Sim;

        public static class Scom
        {
            public static long Read(UserPtr buf, long len, bool dead)
            {
                ulong val = 7;
                int rc;

                if (len != sizeof(ulong))
                    return -EINVAL;
                rc = dead ? -EBUSY : 0;
                if (rc != 0)
                    return rc;

                rc = CopyToUser(buf, BitConverter.GetBytes(val).AsSpan(0, (int)len));

                return [|rc != 0 ? rc : len|];
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class Scom
        {
            public static long Read(UserPtr buf, long len, bool dead)
            {
                ulong val = 7;
                int rc;

                if (len != sizeof(ulong))
                    return -EINVAL;
                rc = dead ? -EBUSY : 0;
                if (rc != 0)
                    return rc;

                rc = CopyToUser(buf, BitConverter.GetBytes(val).AsSpan(0, (int)len));

                return rc != 0 ? -EFAULT : len;
            }
        }
        """);

    /// <summary>
    /// drivers/gpu/drm/vc4/vc4_bo.c, vc4_create_shader_bo_ioctl() before 585cb132a481: the count is left
    /// in the ret the ioctl returns. The kernel's fix tests the copy where it is made and stores -EFAULT
    /// in its failure branch.
    /// </summary>
    [Fact]
    public Task CountLeftInTheReturnedErrnoLocalBecomesEfaultWhereTheCopyIsTested() => Verify(
        """
        namespace Sim;

        public static class Vc4
        {
            static bool Validate(byte[] bo) => bo.Length > 0;

            public static int CreateShaderBo(UserPtr data, int size)
            {
                byte[] bo;
                int ret;

                if (size == 0)
                    return -EINVAL;

                bo = new byte[size];

                // copy the shader in
                ret = CopyFromUser(bo, data);
                if (ret != 0)
                    goto fail;

                if (!Validate(bo))
                {
                    ret = -EINVAL;
                    goto fail;
                }

                ret = bo.Length;

            fail:
                return [|ret|];
            }
        }
        """,
        """
        namespace Sim;

        public static class Vc4
        {
            static bool Validate(byte[] bo) => bo.Length > 0;

            public static int CreateShaderBo(UserPtr data, int size)
            {
                byte[] bo;
                int ret;

                if (size == 0)
                    return -EINVAL;

                bo = new byte[size];

                // copy the shader in
                if (CopyFromUser(bo, data) != 0)
                {
                    ret = -EFAULT;
                    goto fail;
                }

                if (!Validate(bo))
                {
                    ret = -EINVAL;
                    goto fail;
                }

                ret = bo.Length;

            fail:
                return ret;
            }
        }
        """);

    /// <summary>The same where the failure branch returns the local: it returns -EFAULT.</summary>
    [Fact]
    public Task CountReturnedFromTheFailureBranchBecomesEfault() => Verify(
        """
        namespace Sim;

        public static class Dev
        {
            static int CheckRegs(byte[] regs) => regs.Length > 16 ? -EINVAL : 0;

            public static int Read(UserPtr to, byte[] regs)
            {
                int ret;

                if (regs.Length == 0)
                    return -EINVAL;
                ret = CopyToUser(to, regs);
                if (ret != 0)
                    return [|ret|];
                ret = CheckRegs(regs);
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Dev
        {
            static int CheckRegs(byte[] regs) => regs.Length > 16 ? -EINVAL : 0;

            public static int Read(UserPtr to, byte[] regs)
            {
                int ret;

                if (regs.Length == 0)
                    return -EINVAL;
                if (CopyToUser(to, regs) != 0)
                    return -EFAULT;
                ret = CheckRegs(regs);
                return ret;
            }
        }
        """);

    /// <summary>
    /// drivers/media/radio/si4713-i2c.c, si4713_write_econtrol_string() before Dan Carpenter's "fix
    /// copy_to_user to user handling" (v2.6.36): the errno local, tested after an earlier call, takes the
    /// count and is tested for a negative errno, which a count never is. The code that goes on writes the
    /// local before reading it, so the earlier value it now holds there is never seen: the kernel's fix.
    /// </summary>
    [Fact]
    public Task ErrnoLocalReusedForTheCountIsTestedWhereTheCopyIsMade() => Verify(
        """
        namespace Sim;

        public static class Si4713
        {
            static int Queryctrl(uint id) => id == 0 ? -EINVAL : 0;

            static int SetName(byte[] name) => name.Length > 8 ? -EINVAL : 0;

            public static int WriteString(uint id, UserPtr text, byte[] name, int len)
            {
                int rval = Queryctrl(id);
                if (rval < 0)
                    goto exit;

                rval = CopyFromUser(name, text);
                if ([|rval < 0|])
                    goto exit;
                name[len] = 0;

                rval = SetName(name);

            exit:
                return rval;
            }
        }
        """,
        """
        namespace Sim;

        public static class Si4713
        {
            static int Queryctrl(uint id) => id == 0 ? -EINVAL : 0;

            static int SetName(byte[] name) => name.Length > 8 ? -EINVAL : 0;

            public static int WriteString(uint id, UserPtr text, byte[] name, int len)
            {
                int rval = Queryctrl(id);
                if (rval < 0)
                    goto exit;

                if (CopyFromUser(name, text) != 0)
                {
                    rval = -EFAULT;
                    goto exit;
                }
                name[len] = 0;

                rval = SetName(name);

            exit:
                return rval;
            }
        }
        """);

    /// <summary>
    /// drivers/media/dvb/dvb-core/dvb_ca_en50221.c, dvb_ca_en50221_io_read() before "return -EFAULT on
    /// copy_to_user errors": the count is stored inside the test and returned from the exit label. The
    /// path that goes on stores the packet length before the return reads the local.
    /// </summary>
    [Fact]
    public Task CountStoredInsideTheTestBecomesEfault() => Verify(
        """
        namespace Sim;

        public static class DvbCa
        {
            public static long IoRead(UserPtr buf, byte[] hdr, int pktlen, bool broken)
            {
                long status;

                if (broken)
                {
                    status = -EINVAL;
                    goto exit;
                }

                if ((status = CopyToUser(buf, hdr)) != 0)
                    goto exit;
                status = pktlen;

            exit:
                return [|status|];
            }
        }
        """,
        """
        namespace Sim;

        public static class DvbCa
        {
            public static long IoRead(UserPtr buf, byte[] hdr, int pktlen, bool broken)
            {
                long status;

                if (broken)
                {
                    status = -EINVAL;
                    goto exit;
                }

                if (CopyToUser(buf, hdr) != 0)
                {
                    status = -EFAULT;
                    goto exit;
                }
                status = pktlen;

            exit:
                return status;
            }
        }
        """);

    /// <summary>
    /// The count store is the second write of the local, tested against zero on the way to the exit: the
    /// store stays and the failure branch stores -EFAULT, so the path that goes on finds the copy's 0 as
    /// before and the exit returns -EFAULT where it returned the count (dropping the store would leave the
    /// -EINVAL stored first for the path that goes on).
    /// </summary>
    [Fact]
    public Task CountStoreAfterAnErrnoStoreAnswersWithEfault() => Verify(
        """
        namespace Sim;

        public static class Vc4
        {
            public static int CreateShaderBo(UserPtr data, byte[] bo, bool validate)
            {
                int ret = -EINVAL;

                if (!validate)
                    goto fail;
                ret = CopyFromUser(bo, data);
                if (ret != 0)
                    goto fail;
            fail:
                return [|ret|];
            }
        }
        """,
        """
        namespace Sim;

        public static class Vc4
        {
            public static int CreateShaderBo(UserPtr data, byte[] bo, bool validate)
            {
                int ret = -EINVAL;

                if (!validate)
                    goto fail;
                ret = CopyFromUser(bo, data);
                if (ret != 0)
                {
                    ret = -EFAULT;
                    goto fail;
                }
            fail:
                return ret;
            }
        }
        """);

    /// <summary>
    /// drivers/block/rsxx/core.c, rsxx_cram_read() before 77516d25f549 "rsxx: Return -EFAULT if
    /// copy_to_user() fails": the count is stored in the local that holds the register read's errno, tested
    /// against zero and returned. The store answers with the errno; the test finds it non-zero as it found
    /// the count.
    /// </summary>
    [Fact]
    public Task CountStoredInTheErrnoLocalTestedAgainstZeroAnswersWithEfault() => Verify(
        """
        namespace Sim;

        public static class Rsxx
        {
            static int CregRead(uint addr, byte[] buf) => 0;

            public static long CramRead(UserPtr ubuf, byte[] buf, ref long ppos)
            {
                long st;

                if (buf.Length == 0)
                    return -ENOMEM;
                st = CregRead((uint)ppos, buf);
                if (st == 0)
                    st = CopyToUser(ubuf, buf);
                if (st != 0)
                    return [|st|];
                ppos += buf.Length;
                return buf.Length;
            }
        }
        """,
        """
        namespace Sim;

        public static class Rsxx
        {
            static int CregRead(uint addr, byte[] buf) => 0;

            public static long CramRead(UserPtr ubuf, byte[] buf, ref long ppos)
            {
                long st;

                if (buf.Length == 0)
                    return -ENOMEM;
                st = CregRead((uint)ppos, buf);
                if (st == 0)
                    st = CopyToUser(ubuf, buf) != 0 ? -EFAULT : 0;
                if (st != 0)
                    return st;
                ppos += buf.Length;
                return buf.Length;
            }
        }
        """);

    /// <summary>
    /// drivers/media/radio/si4713-i2c.c, si4713_read_econtrol_string() before "fix copy_to_user to user
    /// handling": each case stores the count in the errno local the exit returns, which other paths set to
    /// an errno. Each store answers with the errno where it is made; the return then gives 0 or -EFAULT.
    /// </summary>
    [Fact]
    public Task CountsStoredInTheReturnedErrnoLocalAnswerWithEfault() => Verify(
        """
        namespace Sim;

        public static class Si4713
        {
            public static int ReadString(uint id, UserPtr text, byte[] name, byte[] radio, int size)
            {
                int rval = 0;

                switch (id)
                {
                    case 1:
                        if (name.Length > size)
                        {
                            rval = -EINVAL;
                            goto exit;
                        }
                        rval = CopyToUser(text, name);
                        break;

                    case 2:
                        rval = CopyToUser(text, radio);
                        break;

                    default:
                        rval = -EINVAL;
                        break;
                }

            exit:
                return [|rval|];
            }
        }
        """,
        """
        namespace Sim;

        public static class Si4713
        {
            public static int ReadString(uint id, UserPtr text, byte[] name, byte[] radio, int size)
            {
                int rval = 0;

                switch (id)
                {
                    case 1:
                        if (name.Length > size)
                        {
                            rval = -EINVAL;
                            goto exit;
                        }
                        rval = CopyToUser(text, name) != 0 ? -EFAULT : 0;
                        break;

                    case 2:
                        rval = CopyToUser(text, radio) != 0 ? -EFAULT : 0;
                        break;

                    default:
                        rval = -EINVAL;
                        break;
                }

            exit:
                return rval;
            }
        }
        """);

    /// <summary>
    /// drivers/usb/gadget/legacy/raw_gadget.c, raw_ioctl_event_fetch() in v5.7-rc1: the local takes two copies'
    /// counts; the first is returned from its failure test right after the store, which now returns -EFAULT,
    /// and the second is turned into -EFAULT where it is stored.
    /// </summary>
    [Fact]
    public Task CountReturnedFromTheTestAfterItsStoreAmongOtherCountStores() => Verify(
        """
        namespace Sim;

        public static class RawGadget
        {
            public static int EventFetch(UserPtr value, byte[] arg, byte[] ev)
            {
                int ret = 0;

                if (arg.Length == 0)
                    return -EINVAL;
                ret = CopyFromUser(arg, value);
                if (ret != 0)
                    return [|ret|];
                ret = CopyToUser(value, ev);
                return [|ret|];
            }
        }
        """,
        """
        namespace Sim;

        public static class RawGadget
        {
            public static int EventFetch(UserPtr value, byte[] arg, byte[] ev)
            {
                int ret = 0;

                if (arg.Length == 0)
                    return -EINVAL;
                if (CopyFromUser(arg, value) != 0)
                    return -EFAULT;
                ret = CopyToUser(value, ev) != 0 ? -EFAULT : 0;
                return ret;
            }
        }
        """);

    /// <summary>
    /// net/rxrpc/af_rxrpc.c, rxrpc_setsockopt() before 02020056647017e7: the count stored in the errno
    /// local in a case of a switch, and tested for a negative errno; the case's statements are rewritten in place.
    /// </summary>
    [Fact]
    public Task CountTestedForANegativeInACaseOfASwitch() => Verify(
        """
        namespace Sim;

        public static class Rxrpc
        {
            public static int SetSockopt(int optname, UserPtr optval, int optlen, byte[] level)
            {
                int ret;

                switch (optname)
                {
                    case 1:
                        ret = -EINVAL;
                        if (optlen != 4)
                            goto error;
                        ret = CopyFromUser(level, optval);
                        if ([|ret < 0|])
                            goto error;
                        ret = -EINVAL;
                        if (level[0] > 2)
                            goto error;
                        return 0;
                    default:
                        ret = -ENOENT;
                        break;
                }

            error:
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Rxrpc
        {
            public static int SetSockopt(int optname, UserPtr optval, int optlen, byte[] level)
            {
                int ret;

                switch (optname)
                {
                    case 1:
                        ret = -EINVAL;
                        if (optlen != 4)
                            goto error;
                        if (CopyFromUser(level, optval) != 0)
                        {
                            ret = -EFAULT;
                            goto error;
                        }
                        ret = -EINVAL;
                        if (level[0] > 2)
                            goto error;
                        return 0;
                    default:
                        ret = -ENOENT;
                        break;
                }

            error:
                return ret;
            }
        }
        """);

    /// <summary>
    /// The errno local is reused for the count, and the code that goes on after the test returns it: the
    /// store stays, so that code still returns the 0 the copy left; the test now catches the failure.
    /// </summary>
    [Fact]
    public Task CountTestedBelowZeroInAReusedErrnoLocalKeepsTheStore() => Verify(
        """
        namespace Sim;

        public static class Reused
        {
            static int Prepare(uint id) => id == 0 ? -EINVAL : 1;

            public static int Write(uint id, UserPtr text, byte[] name)
            {
                int rval = Prepare(id);
                if (rval < 0)
                    return rval;

                rval = CopyFromUser(name, text);
                if ([|rval < 0|])
                    return -EFAULT;
                return rval;
            }
        }
        """,
        """
        namespace Sim;

        public static class Reused
        {
            static int Prepare(uint id) => id == 0 ? -EINVAL : 1;

            public static int Write(uint id, UserPtr text, byte[] name)
            {
                int rval = Prepare(id);
                if (rval < 0)
                    return rval;

                rval = CopyFromUser(name, text);
                if (rval != 0)
                    return -EFAULT;
                return rval;
            }
        }
        """);

    /// <summary>
    /// vhost_set_vring() in v2.6.33: the errno local holds get_user()'s result before the copy, and the
    /// failure test breaks out of the switch to the unlock and the return. The store stays, the test catches
    /// the failure and the branch stores -EFAULT before it leaves, as the 2.6.34 fix does.
    /// </summary>
    [Fact]
    public Task CountTestedBelowZeroBeforeABreakStoresEfault() => Verify(
        """
        namespace Sim;

        public static class Vhost
        {
            public static long SetVring(int ioctl, UserPtr argp, byte[] s, KernelMutex mutex)
            {
                long r = GetUser(out uint idx, argp.Cast<uint>());
                if (r < 0)
                    return r;
                mutex.Lock();
                switch (ioctl)
                {
                    case 1:
                        r = CopyFromUser(s, argp);
                        if ([|r < 0|])
                            break;
                        s[0] = (byte)idx;
                        break;
                    default:
                        r = -EINVAL;
                        break;
                }
                mutex.Unlock();
                return r;
            }
        }
        """,
        """
        namespace Sim;

        public static class Vhost
        {
            public static long SetVring(int ioctl, UserPtr argp, byte[] s, KernelMutex mutex)
            {
                long r = GetUser(out uint idx, argp.Cast<uint>());
                if (r < 0)
                    return r;
                mutex.Lock();
                switch (ioctl)
                {
                    case 1:
                        r = CopyFromUser(s, argp);
                        if (r != 0)
                        {
                            r = -EFAULT;
                            break;
                        }
                        s[0] = (byte)idx;
                        break;
                    default:
                        r = -EINVAL;
                        break;
                }
                mutex.Unlock();
                return r;
            }
        }
        """);

    /// <summary>
    /// vhost_set_memory() in v2.6.33: the count is stored, tested right after and returned from the failure
    /// branch. The branch answers -EFAULT, as the 2.6.34 fix does, rather than rewriting the returned count
    /// into a test of itself; the store stays, since nothing else names the local (merging it into the test
    /// would leave it declared and unused).
    /// </summary>
    [Fact]
    public Task CountReturnedFromItsOwnFailureTestAnswersWithEfault() => Verify(
        """
        namespace Sim;

        public static class Vhost
        {
            public static long SetMemory(UserPtr m, byte[] mem)
            {
                long r;
                if (mem.Length == 0)
                    return -EINVAL;
                r = CopyFromUser(mem, m);
                if (r != 0)
                    return [|r|];
                return mem[0] == 0 ? -EINVAL : 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class Vhost
        {
            public static long SetMemory(UserPtr m, byte[] mem)
            {
                long r;
                if (mem.Length == 0)
                    return -EINVAL;
                r = CopyFromUser(mem, m);
                if (r != 0)
                    return -EFAULT;
                return mem[0] == 0 ? -EINVAL : 0;
            }
        }
        """);

    /// <summary>
    /// drivers/char/ipmi/ssif_bmc.c, ssif_bmc_read() before ea641be7a4fa: the copy's count is stored in the
    /// errno local that an earlier branch gives -EINVAL, and <c>return (ret &lt; 0) ? ret : count;</c> reads a
    /// short copy as success. The store answers with the errno (the kernel's fix adds <c>if (ret &gt; 0) ret =
    /// -EFAULT;</c>), and the return's test then reads it as it was written to.
    /// </summary>
    [Fact]
    public Task CountTestedBelowZeroInAReturnOfAnErrnoLocalStoresTheErrno() => Verify(
        """
        using System;

        namespace Sim;

        public static class SsifBmc
        {
            public static long Read(UserPtr buf, ulong count, byte[] msg)
            {
                long ret;
                if ((long)count < msg.Length)
                {
                    ret = -EINVAL;
                }
                else
                {
                    count = (ulong)msg.Length;
                    ret = CopyToUser(buf, msg.AsSpan(0, (int)count));
                }

                return ([|ret < 0|]) ? ret : (long)count;
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class SsifBmc
        {
            public static long Read(UserPtr buf, ulong count, byte[] msg)
            {
                long ret;
                if ((long)count < msg.Length)
                {
                    ret = -EINVAL;
                }
                else
                {
                    count = (ulong)msg.Length;
                    ret = CopyToUser(buf, msg.AsSpan(0, (int)count)) != 0 ? -EFAULT : 0;
                }

                return (ret < 0) ? ret : (long)count;
            }
        }
        """);

    /// <summary>
    /// drivers/usb/gadget/legacy/raw_gadget.c, raw_ioctl_event_fetch() as f2c2e717642c added it: the errno
    /// local held the first copy's result, tested and left behind on its own path, before the event's copy
    /// stores its count there and returns it. Only the store the return reads answers with the errno.
    /// </summary>
    [Fact]
    public Task CountReturnedFromAnErrnoLocalAnEarlierCopyAlsoUsed() => Verify(
        """
        using System;

        namespace Sim;

        public static class RawGadget
        {
            public static int EventFetch(UserPtr value, byte[] arg, byte[] ev, bool running)
            {
                int ret = 0;
                ret = CopyFromUser(arg, value);
                if (ret != 0)
                    return -EFAULT;
                if (!running)
                    return -EINVAL;
                ret = CopyToUser(value, ev.AsSpan(0, 8));
                return [|ret|];
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class RawGadget
        {
            public static int EventFetch(UserPtr value, byte[] arg, byte[] ev, bool running)
            {
                int ret = 0;
                ret = CopyFromUser(arg, value);
                if (ret != 0)
                    return -EFAULT;
                if (!running)
                    return -EINVAL;
                ret = CopyToUser(value, ev.AsSpan(0, 8)) != 0 ? -EFAULT : 0;
                return ret;
            }
        }
        """);

    /// <summary>
    /// drivers/vhost/vhost.c, vhost_set_vring() of v2.6.33: the errno local holds get_user()'s result, each
    /// SET case's copy count tested with <c>r &lt; 0</c>, and the GET case's copy_to_user() count returned as
    /// it is. The test gets the kept store and -EFAULT; the returned count's store answers with the errno;
    /// the store already tested is left as it is.
    /// </summary>
    [Fact]
    public Task CountsOfASwitchTestedBelowZeroAndReturned() => Verify(
        """
        namespace Sim;

        public static class Vhost
        {
            public static long SetVring(int ioctl, UserPtr argp, byte[] s, uint[] vq)
            {
                long r;
                r = GetUser(out uint idx, argp.Cast<uint>());
                if (r < 0)
                    return r;
                switch (ioctl)
                {
                    case 1:
                        r = CopyFromUser(s, argp);
                        if ([|r < 0|])
                            break;
                        vq[idx] = s[0];
                        break;
                    case 2:
                        s[0] = (byte)vq[idx];
                        r = CopyToUser(argp, s);
                        break;
                    default:
                        r = -EINVAL;
                        break;
                }

                return [|r|];
            }
        }
        """,
        """
        namespace Sim;

        public static class Vhost
        {
            public static long SetVring(int ioctl, UserPtr argp, byte[] s, uint[] vq)
            {
                long r;
                r = GetUser(out uint idx, argp.Cast<uint>());
                if (r < 0)
                    return r;
                switch (ioctl)
                {
                    case 1:
                        r = CopyFromUser(s, argp);
                        if (r != 0)
                        {
                            r = -EFAULT;
                            break;
                        }
                        vq[idx] = s[0];
                        break;
                    case 2:
                        s[0] = (byte)vq[idx];
                        r = CopyToUser(argp, s) != 0 ? -EFAULT : 0;
                        break;
                    default:
                        r = -EINVAL;
                        break;
                }

                return r;
            }
        }
        """);

    /// <summary>
    /// The same function with the returned count's lightbulb taken first, the SET case's <c>r &lt; 0</c> still
    /// standing: every count store the return reads answers with the errno, and the sign test then finds the
    /// -EFAULT it was written to catch, so its own report goes too.
    /// </summary>
    [Fact]
    public Task ReturnedCountFixedFirstAlsoAnswersTheSignTest() => FixHarness.VerifyOneAsync<UA5002BytesNotCopiedMisreadAnalyzer, UA5002BytesNotCopiedMisreadCodeFix>(
        FixHarness.Usings + """
        namespace Sim;

        public static class Vhost
        {
            public static long SetVring(int ioctl, UserPtr argp, byte[] s, uint[] vq)
            {
                long r;
                r = GetUser(out uint idx, argp.Cast<uint>());
                if (r < 0)
                    return r;
                switch (ioctl)
                {
                    case 1:
                        r = CopyFromUser(s, argp);
                        if (r < 0)
                            break;
                        vq[idx] = s[0];
                        break;
                    case 2:
                        s[0] = (byte)vq[idx];
                        r = CopyToUser(argp, s);
                        break;
                    default:
                        r = -EINVAL;
                        break;
                }

                return {|#0:r|};
            }
        }
        """,
        FixHarness.Usings + """
        namespace Sim;

        public static class Vhost
        {
            public static long SetVring(int ioctl, UserPtr argp, byte[] s, uint[] vq)
            {
                long r;
                r = GetUser(out uint idx, argp.Cast<uint>());
                if (r < 0)
                    return r;
                switch (ioctl)
                {
                    case 1:
                        r = CopyFromUser(s, argp) != 0 ? -EFAULT : 0;
                        if (r < 0)
                            break;
                        vq[idx] = s[0];
                        break;
                    case 2:
                        s[0] = (byte)vq[idx];
                        r = CopyToUser(argp, s) != 0 ? -EFAULT : 0;
                        break;
                    default:
                        r = -EINVAL;
                        break;
                }

                return r;
            }
        }
        """);

    /// <summary>
    /// mm/maccess.c, strncpy_from_unsafe() of v4.3: the copy's count tested for a negative inside the returned
    /// conditional, whose failure arm returns the count. The v4.4 fix: <c>return ret ? -EFAULT : src - unsafe_addr;</c>.
    /// </summary>
    [Fact]
    public Task CountTestedBelowZeroInAReturnedConditionalAnswersWithEfault() => Verify(
        """
        using System;

        namespace Sim;

        public static class Maccess
        {
            public static long StrncpyFromUnsafe(byte[] dst, UserPtr unsafeAddr, long count)
            {
                UserPtr src = unsafeAddr;
                long ret;
                int d = 0;
                if (count <= 0)
                    return 0;
                do
                {
                    ret = CopyFromUser(dst.AsSpan(d, 1), src);
                    d++;
                    src = src + 1;
                } while (dst[d - 1] != 0 && ret == 0 && (long)(src.Address - unsafeAddr.Address) < count);
                dst[d - 1] = 0;
                return [|ret < 0|] ? ret : (long)(src.Address - unsafeAddr.Address);
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class Maccess
        {
            public static long StrncpyFromUnsafe(byte[] dst, UserPtr unsafeAddr, long count)
            {
                UserPtr src = unsafeAddr;
                long ret;
                int d = 0;
                if (count <= 0)
                    return 0;
                do
                {
                    ret = CopyFromUser(dst.AsSpan(d, 1), src);
                    d++;
                    src = src + 1;
                } while (dst[d - 1] != 0 && ret == 0 && (long)(src.Address - unsafeAddr.Address) < count);
                dst[d - 1] = 0;
                return ret != 0 ? -EFAULT : (long)(src.Address - unsafeAddr.Address);
            }
        }
        """);

    /// <summary>
    /// net/tipc/socket.c, getsockopt() of v2.6.24: the copy is stored in its own test in an else-if chain,
    /// whose branch only holds a comment and falls through to the return of the errno local. The branch
    /// stores -EFAULT, as the later form of that chain does.
    /// </summary>
    [Fact]
    public Task CountStoredInItsOwnTestWhoseBranchFallsThroughStoresEfault() => Verify(
        """
        namespace Sim;

        public static class Tipc
        {
            public static int Getsockopt(UserPtr ov, int len, uint value, bool failed)
            {
                int res = 0;
                if (failed)
                {
                    res = -EINVAL;
                }
                else if (len < sizeof(uint))
                {
                    res = -EINVAL;
                }
                else if ((res = CopyToUser(ov.Cast<uint>(), value)) != 0)
                {
                    /* couldn't return value */
                }
                else
                {
                    res = 0;
                }

                return [|res|];
            }
        }
        """,
        """
        namespace Sim;

        public static class Tipc
        {
            public static int Getsockopt(UserPtr ov, int len, uint value, bool failed)
            {
                int res = 0;
                if (failed)
                {
                    res = -EINVAL;
                }
                else if (len < sizeof(uint))
                {
                    res = -EINVAL;
                }
                else if ((res = CopyToUser(ov.Cast<uint>(), value)) != 0)
                {
                    /* couldn't return value */
                    res = -EFAULT;
                }
                else
                {
                    res = 0;
                }

                return res;
            }
        }
        """);
}
