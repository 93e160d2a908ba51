using System;
using System.Collections.Generic;

namespace UserAccess.Runtime;

// The VMA list and the page-table walks that follow VMA changes. Everything here runs with the
// page-table lock held.
public sealed partial class Mm
{
    /// <summary><c>vma_lookup()</c>: the VMA containing <paramref name="va"/>, or <c>null</c>.</summary>
    private Vma? FindVma(ulong va)
    {
        int lo = 0, hi = vmas.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            var vma = vmas[mid];
            if (va < vma.Start)
            {
                hi = mid - 1;
            }
            else if (va >= vma.End)
            {
                lo = mid + 1;
            }
            else
            {
                return vma;
            }
        }

        return null;
    }

    private void InsertVma(Vma vma)
    {
        int index = 0;
        while (index < vmas.Count && vmas[index].Start < vma.Start)
        {
            index++;
        }

        vmas.Insert(index, vma);
    }

    private IEnumerable<Vma> Overlapping(ulong from, ulong to)
    {
        foreach (var vma in vmas.ToArray())
        {
            if (vma.Start < to && vma.End > from)
            {
                yield return vma;
            }
        }
    }

    private bool Overlaps(ulong from, ulong to)
    {
        foreach (var vma in vmas)
        {
            if (vma.Start < to && vma.End > from)
            {
                return true;
            }
        }

        return false;
    }

    private bool IsFullyMapped(ulong from, ulong to)
    {
        ulong covered = from;
        foreach (var vma in vmas)
        {
            if (vma.End <= covered)
            {
                continue;
            }

            if (vma.Start > covered)
            {
                return false;
            }

            covered = vma.End;
            if (covered >= to)
            {
                return true;
            }
        }

        return covered >= to;
    }

    /// <summary>Cuts [from, to) out of the VMA list, keeping the parts of VMAs outside it.</summary>
    private void RemoveVmas(ulong from, ulong to)
    {
        foreach (var vma in Overlapping(from, to))
        {
            vmas.Remove(vma);
            if (vma.Start < from)
            {
                InsertVma(vma.Slice(vma.Start, from, vma.Prot));
            }

            if (vma.End > to)
            {
                InsertVma(vma.Slice(to, vma.End, vma.Prot));
            }
        }
    }

    /// <summary><c>do_vmi_munmap()</c>: the VMAs and every page-table entry of [from, to) go.</summary>
    private void RemoveRange(ulong from, ulong to)
    {
        ForEachEntry(from, to, (vpn, _) => pageTable.Set(vpn, null));
        RemoveVmas(from, to);
    }

    /// <summary><c>change_protection()</c>: entries lose what the new protection forbids; a write fault restores write later.</summary>
    private void ChangeProtection(Vma vma)
    {
        ForEachEntry(vma.Start, vma.End, (vpn, pte) =>
        {
            if (!pte.IsPresent)
            {
                return;
            }

            bool keepWrite = (pte.Flags & PteFlags.Write) != 0 && vma.MayWrite;
            pageTable.Set(vpn, new Pte(pte.Page, FlagsFor(vma, keepWrite)));
        });
    }

    /// <summary>Visits the existing entries of the mapped pages of [from, to).</summary>
    private void ForEachEntry(ulong from, ulong to, Action<ulong, Pte> visit)
    {
        foreach (var vma in Overlapping(from, to))
        {
            ulong start = Math.Max(vma.Start, from);
            ulong end = Math.Min(vma.End, to);
            pageTable.ForEach(start >> pageShift, end >> pageShift, visit);
        }
    }

    /// <summary>The present-entry bits a VMA gives a page (<c>vm_get_page_prot()</c>).</summary>
    private PteFlags FlagsFor(Vma vma, bool writable)
    {
        var flags = PteFlags.Present;
        if (vma.MayRead)
        {
            flags |= PteFlags.Read;
        }

        if (writable && vma.MayWrite)
        {
            flags |= PteFlags.Write;
        }

        if ((vma.Prot & Prot.Mte) != 0 && arch.HasMte)
        {
            flags |= PteFlags.Mte;
        }

        return flags;
    }
}
