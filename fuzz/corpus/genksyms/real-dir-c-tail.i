# 0 "/tmp/q/fat/dir.c"
# 1 "/usr/src/linux-headers-6.12.117+deb12-amd64//"
# 0 "<built-in>"
# 0 "<command-line>"
# 1 "/usr/src/linux-headers-6.12.117+deb12-common/include/linux/compiler-version.h" 1
# 0 "<command-line>" 2
# 1 "/usr/src/linux-headers-6.12.117+deb12-common/include/linux/kconfig.h" 1




# 1 "./include/generated/autoconf.h" 1
# 6 "/usr/src/linux-headers-6.12.117+deb12-common/include/linux/kconfig.h" 2
# 0 "<command-line>" 2
# 1 "/usr/src/linux-headers-6.12.117+deb12-common/include/linux/compiler_types.h" 1
# 40 "/usr/src/linux-headers-6.12.117+deb12-common/include/linux/compiler_types.h"
# 1 "/usr/src/linux-headers-6.12.117+deb12-common/include/linux/compiler-context-analysis.h" 1
# 41 "/usr/src/linux-headers-6.12.117+deb12-common/include/linux/compiler_types.h" 2
# 88 "/usr/src/linux-headers-6.12.117+deb12-common/include/linux/compiler_types.h"
# 1 "/usr/src/linux-headers-6.12.117+deb12-common/include/linux/compiler_attributes.h" 1
# 89 "/usr/src/linux-headers-6.12.117+deb12-common/include/linux/compiler_types.h" 2
# 173 "/usr/src/linux-headers-6.12.117+deb12-common/include/linux/compiler_types.h"
# 1 "/usr/src/linux-headers-6.12.117+deb12-common/include/linux/compiler-gcc.h" 1
# 174 "/usr/src/linux-headers-6.12.117+deb12-common/include/linux/compiler_types.h" 2
# 190 "/usr/src/linux-headers-6.12.117+deb12-common/include/linux/compiler_types.h"
struct ftrace_branch_data {
 const char *func;
 const char *file;
 unsigned line;
 union {
  struct {
   unsigned long correct;
   unsigned long incorrect;
  };
  struct {
   unsigned long miss;
   unsigned long hit;
  };
  unsigned long miss_hit[2];
 };
};

struct ftrace_likely_data {
 struct ftrace_branch_data data;
 unsigned long constant;
};
# 0 "<command-line>" 2
# 1 "/usr/src/linux-headers-6.12.117+deb12-common/include/linux/types.h" 1
typedef __signed__ char __s8;
typedef unsigned char __u8;
typedef __signed__ short __s16;
typedef unsigned short __u16;
typedef __signed__ int __s32;
typedef unsigned int __u32;
typedef __s8 s8;
typedef __u8 u8;
typedef __s16 s16;
typedef __u16 u16;
typedef __s32 s32;
typedef __u32 u32;
typedef __s64 s64;
typedef __u64 u64;
typedef void (*__kernel_sighandler_t)(int);
typedef int __kernel_key_t;
typedef int __kernel_mqd_t;
typedef unsigned short __kernel_old_uid_t;
typedef unsigned short __kernel_old_gid_t;
typedef unsigned long __kernel_old_dev_t;
typedef long __kernel_long_t;
typedef unsigned long __kernel_ulong_t;
typedef __kernel_ulong_t __kernel_ino_t;
typedef unsigned int __kernel_mode_t;
typedef int __kernel_pid_t;
typedef int __kernel_ipc_pid_t;
typedef unsigned int __kernel_uid_t;
typedef unsigned int __kernel_gid_t;
typedef __kernel_long_t __kernel_suseconds_t;
typedef int __kernel_daddr_t;
typedef unsigned int __kernel_uid32_t;
typedef unsigned int __kernel_gid32_t;
typedef __kernel_ulong_t __kernel_size_t;
typedef __kernel_long_t __kernel_ssize_t;
typedef __kernel_long_t __kernel_ptrdiff_t;
typedef __kernel_long_t __kernel_off_t;
typedef long long __kernel_loff_t;
typedef __kernel_long_t __kernel_old_time_t;
typedef long long __kernel_time64_t;
typedef __kernel_long_t __kernel_clock_t;
typedef int __kernel_timer_t;
typedef int __kernel_clockid_t;
typedef char * __kernel_caddr_t;
typedef unsigned short __kernel_uid16_t;
typedef unsigned short __kernel_gid16_t;
typedef __signed__ __int128 __s128 __attribute__((aligned(16)));
typedef unsigned __int128 __u128 __attribute__((aligned(16)));
typedef __u16 __le16;
typedef __u16 __be16;
typedef __u32 __le32;
typedef __u32 __be32;
typedef __u64 __le64;
typedef __u64 __be64;
typedef __u16 __sum16;
typedef __u32 __wsum;
typedef unsigned __poll_t;
typedef __s128 s128;
typedef __u128 u128;
typedef u32 __kernel_dev_t;
typedef __kernel_fd_set fd_set;
typedef __kernel_dev_t dev_t;
typedef __kernel_ulong_t ino_t;
typedef __kernel_mode_t mode_t;
typedef unsigned short umode_t;
typedef u32 nlink_t;
typedef __kernel_off_t off_t;
typedef __kernel_pid_t pid_t;
typedef __kernel_daddr_t daddr_t;
typedef __kernel_key_t key_t;
typedef __kernel_suseconds_t suseconds_t;
typedef __kernel_timer_t timer_t;
typedef __kernel_clockid_t clockid_t;
typedef __kernel_mqd_t mqd_t;
typedef _Bool bool;
typedef __kernel_uid32_t uid_t;
typedef __kernel_gid32_t gid_t;
typedef __kernel_uid16_t uid16_t;
typedef __kernel_gid16_t gid16_t;
typedef unsigned long uintptr_t;
typedef long intptr_t;
typedef __kernel_old_uid_t old_uid_t;
typedef __kernel_old_gid_t old_gid_t;
typedef __kernel_loff_t loff_t;
typedef __kernel_size_t size_t;
typedef __kernel_ssize_t ssize_t;
typedef __kernel_ptrdiff_t ptrdiff_t;
typedef __kernel_clock_t clock_t;
typedef __kernel_caddr_t caddr_t;
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;
typedef unsigned char unchar;
typedef unsigned short ushort;
typedef unsigned int uint;
typedef unsigned long ulong;
typedef u8 u_int8_t;
typedef s8 int8_t;
typedef u16 u_int16_t;
typedef s16 int16_t;
typedef u32 u_int32_t;
typedef s32 int32_t;
typedef u8 uint8_t;
typedef u16 uint16_t;
typedef u32 uint32_t;
typedef u64 uint64_t;
typedef u64 u_int64_t;
typedef s64 int64_t;
typedef s64 ktime_t;
typedef u64 sector_t;
typedef u64 blkcnt_t;
typedef u64 dma_addr_t;
typedef unsigned int gfp_t;
typedef unsigned int slab_flags_t;
typedef unsigned int fmode_t;
typedef u64 phys_addr_t;
typedef phys_addr_t resource_size_t;
typedef unsigned long irq_hw_number_t;
typedef void (*rcu_callback_t)(struct callback_head *head);
typedef void (*call_rcu_func_t)(struct callback_head *head, rcu_callback_t func);
typedef void (*swap_r_func_t)(void *a, void *b, int size, const void *priv);
typedef void (*swap_func_t)(void *a, void *b, int size);
typedef int (*cmp_r_func_t)(const void *a, const void *b, const void *priv);
typedef int (*cmp_func_t)(const void *a, const void *b);
typedef __builtin_va_list va_list;
typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);
typedef int initcall_entry_t;
typedef void (*ctor_fn_t)(void);
typedef u8 retpoline_thunk_t[32];
typedef u8 its_thunk_t[64];
typedef struct ldttss_desc ldt_desc;
typedef struct ldttss_desc tss_desc;
typedef struct gate_struct gate_desc;
typedef unsigned long pteval_t;
typedef unsigned long pmdval_t;
typedef unsigned long pudval_t;
typedef unsigned long p4dval_t;
typedef unsigned long pgdval_t;
typedef unsigned long pgprotval_t;
typedef struct page *pgtable_t;
typedef struct cpumask *cpumask_var_t;
typedef atomic64_t atomic_long_t;
typedef void (*smp_call_func_t)(void *info);
typedef bool (*smp_cond_func_t)(int cpu, void *info);
typedef struct wait_queue_entry wait_queue_entry_t;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry, unsigned mode, int flags, void *key);
typedef struct wait_queue_head wait_queue_head_t;
typedef int (*task_call_f)(struct task_struct *p, void *arg);
typedef __s64 time64_t;
typedef __u64 timeu64_t;
typedef unsigned long old_sigset_t;
typedef void __signalfn_t(int);
typedef __signalfn_t *__sighandler_t;
typedef void __restorefn_t(void);
typedef __restorefn_t *__sigrestore_t;
typedef bool (*dl_server_has_tasks_f)(struct sched_dl_entity *);
typedef struct task_struct *(*dl_server_pick_f)(struct sched_dl_entity *);
typedef int (pcpu_fc_cpu_to_node_fn_t)(int cpu);
typedef int (pcpu_fc_cpu_distance_fn_t)(unsigned int from, unsigned int to);
typedef const int tracepoint_ptr_t;
typedef unsigned long long cycles_t;
typedef s32 old_time32_t;
typedef void (*work_func_t)(struct work_struct *work);
typedef u8 uprobe_opcode_t;
typedef swp_entry_t softleaf_t;
typedef unsigned long vm_flags_t;
typedef unsigned int vm_fault_t;
typedef unsigned int zap_flags_t;
typedef int cydp_t;
typedef unsigned isolate_mode_t;
typedef int mhp_t;
typedef void (*online_page_callback_t)(struct page *page, unsigned int order);
typedef void (percpu_ref_func_t)(struct percpu_ref *);
typedef unsigned int kasan_vmalloc_flags_t;
typedef struct kmem_cache * kmem_buckets[(12 + 1) + 1];
typedef u32 (*rht_hashfn_t)(const void *data, u32 len, u32 seed);
typedef u32 (*rht_obj_hashfn_t)(const void *data, u32 len, u32 seed);
typedef unsigned int iov_iter_extraction_t;
typedef unsigned short __kernel_sa_family_t;
typedef __kernel_sa_family_t sa_family_t;
typedef int wait_bit_action_f(struct wait_bit_key *key, int mode);
typedef unsigned xa_mark_t;
typedef void (*xa_update_node_t)(struct xa_node *node);
typedef struct __user_cap_data_struct *cap_user_data_t;
typedef int32_t key_serial_t;
typedef uint32_t key_perm_t;
typedef struct __key_reference_with_attributes *key_ref_t;
typedef int (*proc_visitor)(struct task_struct *p, void *data);
typedef u32 errseq_t;
typedef int __kernel_rwf_t;
typedef __kernel_rwf_t rwf_t;
typedef __kernel_uid32_t projid_t;
typedef __kernel_uid32_t qid_t;
typedef long long qsize_t;
typedef void *fl_owner_t;
typedef unsigned int fop_flags_t;
typedef __kernel_ulong_t aio_context_t;
typedef u16 compat_mode_t;
typedef u16 __compat_uid_t;
typedef u16 __compat_gid_t;
typedef u16 compat_dev_t;
typedef u16 compat_ipc_pid_t;
typedef u32 compat_size_t;
typedef s32 compat_ssize_t;
typedef s32 compat_clock_t;
typedef s32 compat_pid_t;
typedef u32 compat_ino_t;
typedef s32 compat_off_t;
typedef s64 compat_loff_t;
typedef s32 compat_daddr_t;
typedef s32 compat_timer_t;
typedef s32 compat_key_t;
typedef s16 compat_short_t;
typedef s32 compat_int_t;
typedef s32 compat_long_t;
typedef u16 compat_ushort_t;
typedef u32 compat_uint_t;
typedef u32 compat_ulong_t;
typedef u32 compat_uptr_t;
typedef u32 compat_caddr_t;
typedef u32 compat_aio_context_t;
typedef u32 compat_old_sigset_t;
typedef u32 __compat_uid32_t;
typedef u32 __compat_gid32_t;
typedef s64 __attribute__((aligned(4))) compat_s64;
typedef u64 __attribute__((aligned(4))) compat_u64;
typedef u32 compat_sigset_word;
typedef __kernel_fsid_t compat_fsid_t;
typedef u16 compat_nlink_t;
typedef __compat_uid32_t compat_uid_t;
typedef __compat_gid32_t compat_gid_t;
# 927 "/tmp/q/fat/dir.c"
int fat_get_dotdot_entry(struct inode *dir, struct buffer_head **bh,
    struct msdos_dir_entry **de)
{
 loff_t offset = 0;

 *de = ((void *)0);
 while (fat_get_short_entry(dir, &offset, bh, de) >= 0) {
  if (!strncmp((*de)->name, "..         ", 11))
   return 0;
 }
 return -2;
}
__GENKSYMS_EXPORT_SYMBOL(fat_get_dotdot_entry);


int fat_dir_empty(struct inode *dir)
{
 struct buffer_head *bh;
 struct msdos_dir_entry *de;
 loff_t cpos;
 int result = 0;

 bh = ((void *)0);
 cpos = 0;
 while (fat_get_short_entry(dir, &cpos, &bh, &de) >= 0) {
  if (strncmp(de->name, ".          " , 11) &&
      strncmp(de->name, "..         ", 11)) {
   result = -39;
   break;
  }
 }
 brelse(bh);
 return result;
}
__GENKSYMS_EXPORT_SYMBOL(fat_dir_empty);





int fat_subdirs(struct inode *dir)
{
 struct buffer_head *bh;
 struct msdos_dir_entry *de;
 loff_t cpos;
 int count = 0;

 bh = ((void *)0);
 cpos = 0;
 while (fat_get_short_entry(dir, &cpos, &bh, &de) >= 0) {
  if (de->attr & 16)
   count++;
 }
 brelse(bh);
 return count;
}





int fat_scan(struct inode *dir, const unsigned char *name,
      struct fat_slot_info *sinfo)
{
 struct super_block *sb = dir->i_sb;

 sinfo->slot_off = 0;
 sinfo->bh = ((void *)0);
 while (fat_get_short_entry(dir, &sinfo->slot_off, &sinfo->bh,
       &sinfo->de) >= 0) {
  if (!strncmp(sinfo->de->name, name, 11)) {
   sinfo->slot_off -= sizeof(*sinfo->de);
   sinfo->nr_slots = 1;
   sinfo->i_pos = fat_make_i_pos(sb, sinfo->bh, sinfo->de);
   return 0;
  }
 }
 return -2;
}
__GENKSYMS_EXPORT_SYMBOL(fat_scan);





int fat_scan_logstart(struct inode *dir, int i_logstart,
        struct fat_slot_info *sinfo)
{
 struct super_block *sb = dir->i_sb;

 sinfo->slot_off = 0;
 sinfo->bh = ((void *)0);
 while (fat_get_short_entry(dir, &sinfo->slot_off, &sinfo->bh,
       &sinfo->de) >= 0) {
  if (fat_get_start(MSDOS_SB(sb), sinfo->de) == i_logstart) {
   sinfo->slot_off -= sizeof(*sinfo->de);
   sinfo->nr_slots = 1;
   sinfo->i_pos = fat_make_i_pos(sb, sinfo->bh, sinfo->de);
   return 0;
  }
 }
 return -2;
}

static int __fat_remove_entries(struct inode *dir, loff_t pos, int nr_slots)
{
 struct super_block *sb = dir->i_sb;
 struct buffer_head *bh;
 struct msdos_dir_entry *de, *endp;
 int err = 0, orig_slots;

 while (nr_slots) {
  bh = ((void *)0);
  if (fat_get_entry(dir, &pos, &bh, &de) < 0) {
   err = -5;
   break;
  }

  orig_slots = nr_slots;
  endp = (struct msdos_dir_entry *)(bh->b_data + sb->s_blocksize);
  while (nr_slots && de < endp) {
   de->name[0] = 0xe5;
   de++;
   nr_slots--;
  }
  mark_buffer_dirty_inode(bh, dir);
  if ((((dir)->i_sb->s_flags & (((((1UL))) << (4))|((((1UL))) << (7)))) || ((dir)->i_flags & ((1 << 0)|(1 << 6)))))
   err = sync_dirty_buffer(bh);
  brelse(bh);
  if (err)
   break;


  pos += ((orig_slots - nr_slots) * sizeof(*de)) - sizeof(*de);
 }

 return err;
}

int fat_remove_entries(struct inode *dir, struct fat_slot_info *sinfo)
{
 struct super_block *sb = dir->i_sb;
 struct msdos_dir_entry *de;
 struct buffer_head *bh;
 int err = 0, nr_slots;





 nr_slots = sinfo->nr_slots;
 de = sinfo->de;
 sinfo->de = ((void *)0);
 bh = sinfo->bh;
 sinfo->bh = ((void *)0);
 while (nr_slots && de >= (struct msdos_dir_entry *)bh->b_data) {
  de->name[0] = 0xe5;
  de--;
  nr_slots--;
 }
 mark_buffer_dirty_inode(bh, dir);
 if ((((dir)->i_sb->s_flags & (((((1UL))) << (4))|((((1UL))) << (7)))) || ((dir)->i_flags & ((1 << 0)|(1 << 6)))))
  err = sync_dirty_buffer(bh);
 brelse(bh);
 if (err)
  return err;
 inode_inc_iversion(dir);

 if (nr_slots) {





  err = __fat_remove_entries(dir, sinfo->slot_off, nr_slots);
  if (err) {
   do { do {} while (0); _fat_msg(sb, "\001" "4", "Couldn't remove the long name slots"); } while (0)
                                                ;
  }
 }

 fat_truncate_time(dir, ((void *)0), S_ATIME|S_MTIME);
 if ((((dir)->i_sb->s_flags & (((((1UL))) << (4))|((((1UL))) << (7)))) || ((dir)->i_flags & ((1 << 0)|(1 << 6)))))
  (void)fat_sync_inode(dir);
 else
  mark_inode_dirty(dir);

 return 0;
}
__GENKSYMS_EXPORT_SYMBOL(fat_remove_entries);

static int fat_zeroed_cluster(struct inode *dir, sector_t blknr, int nr_used,
         struct buffer_head **bhs, int nr_bhs)
{
 struct super_block *sb = dir->i_sb;
 sector_t last_blknr = blknr + MSDOS_SB(sb)->sec_per_clus;
 int err, i, n;


 blknr += nr_used;
 n = nr_used;
 while (blknr < last_blknr) {
  bhs[n] = sb_getblk(sb, blknr);
  if (!bhs[n]) {
   err = -12;
   goto error;
  }

  lock_buffer(bhs[n]);
  ({ size_t __fortify_size = (size_t)(sb->s_blocksize); fortify_memset_chk(__fortify_size, __builtin_dynamic_object_size(bhs[n]->b_data, 0), __builtin_dynamic_object_size(bhs[n]->b_data, 1)), __builtin_memset(bhs[n]->b_data, 0, __fortify_size); });
  set_buffer_uptodate(bhs[n]);
  unlock_buffer(bhs[n]);
  mark_buffer_dirty_inode(bhs[n], dir);

  n++;
  blknr++;
  if (n == nr_bhs) {
   if ((((dir)->i_sb->s_flags & (((((1UL))) << (4))|((((1UL))) << (7)))) || ((dir)->i_flags & ((1 << 0)|(1 << 6))))) {
    err = fat_sync_bhs(bhs, n);
    if (err)
     goto error;
   }
   for (i = 0; i < n; i++)
    brelse(bhs[i]);
   n = 0;
  }
 }
 if ((((dir)->i_sb->s_flags & (((((1UL))) << (4))|((((1UL))) << (7)))) || ((dir)->i_flags & ((1 << 0)|(1 << 6))))) {
  err = fat_sync_bhs(bhs, n);
  if (err)
   goto error;
 }
 for (i = 0; i < n; i++)
  brelse(bhs[i]);

 return 0;

error:
 for (i = 0; i < n; i++)
  bforget(bhs[i]);
 return err;
}

int fat_alloc_new_dir(struct inode *dir, struct timespec64 *ts)
{
 struct super_block *sb = dir->i_sb;
 struct msdos_sb_info *sbi = MSDOS_SB(sb);
 struct buffer_head *bhs[(((1UL) << 12) / 512)];
 struct msdos_dir_entry *de;
 sector_t blknr;
 __le16 date, time;
 u8 time_cs;
 int err, cluster;

 err = fat_alloc_clusters(dir, &cluster, 1);
 if (err)
  goto error;

 blknr = fat_clus_to_blknr(sbi, cluster);
 bhs[0] = sb_getblk(sb, blknr);
 if (!bhs[0]) {
  err = -12;
  goto error_free;
 }

 fat_time_unix2fat(sbi, ts, &time, &date, &time_cs);

 de = (struct msdos_dir_entry *)bhs[0]->b_data;

 lock_buffer(bhs[0]);

 ({ const size_t __fortify_size = (size_t)(11); const size_t __p_size = (__builtin_dynamic_object_size(de[0].name, 0)); const size_t __q_size = (__builtin_dynamic_object_size(".          ", 0)); const size_t __p_size_field = (__builtin_dynamic_object_size(de[0].name, 1)); const size_t __q_size_field = (__builtin_dynamic_object_size(".          ", 1)); ({ bool __ret_do_once = !!(fortify_memcpy_chk(__fortify_size, __p_size, __q_size, __p_size_field, __q_size_field, FORTIFY_FUNC_memcpy)); if (({ static bool __attribute__((__section__(".data..once"))) __already_done; bool __ret_cond = !!(__ret_do_once); bool __ret_once = false; if (__builtin_expect(!!(__ret_cond && !__already_done), 0)) { __already_done = true; __ret_once = true; } __builtin_expect(!!(__ret_once), 0); })) ({ int __ret_warn_on = !!(1); if (__builtin_expect(!!(__ret_warn_on), 0)) do { do { } while(0); __warn_printk("memcpy" ": detected field-spanning write (size %zu) of single %s (size %zu)\n", __fortify_size, "field \"" "de[0].name" "\" at " "/tmp/q/fat/dir.c" ":" "1198", __p_size_field); do { __auto_type __flags = (1 << 0)|((1 << 3) | ((9) << 8)); do { } while(0); do { asm __inline volatile("1:\t" ".byte 0x0f, 0x0b" "\n" ".pushsection __bug_table,\"aw\"\n" "2:\t" ".long " "1b" " - ." "\t# bug_entry::bug_addr\n" "\t" ".long " "%c0" " - ." "\t# bug_entry::file\n" "\t.word %c1" "\t# bug_entry::line\n" "\t.word %c2" "\t# bug_entry::flags\n" "\t.org 2b+%c3\n" ".popsection\n" "998:\n\t" ".pushsection .discard.reachable\n\t" ".long 998b\n\t" ".popsection\n\t" : : "i" ("/tmp/q/fat/dir.c"), "i" (1198), "i" (__flags), "i" (sizeof(struct bug_entry))); } while (0); do { } while(0); } while (0); do { } while(0); } while (0); __builtin_expect(!!(__ret_warn_on), 0); }); __builtin_expect(!!(__ret_do_once), 0); }); __builtin_memcpy(de[0].name, ".          ", __fortify_size); });
 ({ const size_t __fortify_size = (size_t)(11); const size_t __p_size = (__builtin_dynamic_object_size(de[1].name, 0)); const size_t __q_size = (__builtin_dynamic_object_size("..         ", 0)); const size_t __p_size_field = (__builtin_dynamic_object_size(de[1].name, 1)); const size_t __q_size_field = (__builtin_dynamic_object_size("..         ", 1)); ({ bool __ret_do_once = !!(fortify_memcpy_chk(__fortify_size, __p_size, __q_size, __p_size_field, __q_size_field, FORTIFY_FUNC_memcpy)); if (({ static bool __attribute__((__section__(".data..once"))) __already_done; bool __ret_cond = !!(__ret_do_once); bool __ret_once = false; if (__builtin_expect(!!(__ret_cond && !__already_done), 0)) { __already_done = true; __ret_once = true; } __builtin_expect(!!(__ret_once), 0); })) ({ int __ret_warn_on = !!(1); if (__builtin_expect(!!(__ret_warn_on), 0)) do { do { } while(0); __warn_printk("memcpy" ": detected field-spanning write (size %zu) of single %s (size %zu)\n", __fortify_size, "field \"" "de[1].name" "\" at " "/tmp/q/fat/dir.c" ":" "1199", __p_size_field); do { __auto_type __flags = (1 << 0)|((1 << 3) | ((9) << 8)); do { } while(0); do { asm __inline volatile("1:\t" ".byte 0x0f, 0x0b" "\n" ".pushsection __bug_table,\"aw\"\n" "2:\t" ".long " "1b" " - ." "\t# bug_entry::bug_addr\n" "\t" ".long " "%c0" " - ." "\t# bug_entry::file\n" "\t.word %c1" "\t# bug_entry::line\n" "\t.word %c2" "\t# bug_entry::flags\n" "\t.org 2b+%c3\n" ".popsection\n" "998:\n\t" ".pushsection .discard.reachable\n\t" ".long 998b\n\t" ".popsection\n\t" : : "i" ("/tmp/q/fat/dir.c"), "i" (1199), "i" (__flags), "i" (sizeof(struct bug_entry))); } while (0); do { } while(0); } while (0); do { } while(0); } while (0); __builtin_expect(!!(__ret_warn_on), 0); }); __builtin_expect(!!(__ret_do_once), 0); }); __builtin_memcpy(de[1].name, "..         ", __fortify_size); });
 de->attr = de[1].attr = 16;
 de[0].lcase = de[1].lcase = 0;
 de[0].time = de[1].time = time;
 de[0].date = de[1].date = date;
 if (sbi->options.isvfat) {

  de[0].ctime = de[1].ctime = time;
  de[0].ctime_cs = de[1].ctime_cs = time_cs;
  de[0].adate = de[0].cdate = de[1].adate = de[1].cdate = date;
 } else {
  de[0].ctime = de[1].ctime = 0;
  de[0].ctime_cs = de[1].ctime_cs = 0;
  de[0].adate = de[0].cdate = de[1].adate = de[1].cdate = 0;
 }
 fat_set_start(&de[0], cluster);
 fat_set_start(&de[1], MSDOS_I(dir)->i_logstart);
 de[0].size = de[1].size = 0;
 ({ size_t __fortify_size = (size_t)(sb->s_blocksize - 2 * sizeof(*de)); fortify_memset_chk(__fortify_size, __builtin_dynamic_object_size(de + 2, 0), __builtin_dynamic_object_size(de + 2, 1)), __builtin_memset(de + 2, 0, __fortify_size); });
 set_buffer_uptodate(bhs[0]);
 unlock_buffer(bhs[0]);
 mark_buffer_dirty_inode(bhs[0], dir);

 err = fat_zeroed_cluster(dir, blknr, 1, bhs, (((1UL) << 12) / 512));
 if (err)
  goto error_free;

 return cluster;

error_free:
 fat_free_clusters(dir, cluster);
error:
 return err;
}
__GENKSYMS_EXPORT_SYMBOL(fat_alloc_new_dir);

static int fat_add_new_entries(struct inode *dir, void *slots, int nr_slots,
          int *nr_cluster, struct msdos_dir_entry **de,
          struct buffer_head **bh, loff_t *i_pos)
{
 struct super_block *sb = dir->i_sb;
 struct msdos_sb_info *sbi = MSDOS_SB(sb);
 struct buffer_head *bhs[(((1UL) << 12) / 512)];
 sector_t blknr, start_blknr, last_blknr;
 unsigned long size, copy;
 int err, i, n, offset, cluster[2];






 size = nr_slots * sizeof(struct msdos_dir_entry);
 *nr_cluster = (size + (sbi->cluster_size - 1)) >> sbi->cluster_bits;
 do { if (__builtin_expect(!!(*nr_cluster > 2), 0)) do { do { } while(0); do { asm __inline volatile("1:\t" ".byte 0x0f, 0x0b" "\n" ".pushsection __bug_table,\"aw\"\n" "2:\t" ".long " "1b" " - ." "\t# bug_entry::bug_addr\n" "\t" ".long " "%c0" " - ." "\t# bug_entry::file\n" "\t.word %c1" "\t# bug_entry::line\n" "\t.word %c2" "\t# bug_entry::flags\n" "\t.org 2b+%c3\n" ".popsection\n" "" : : "i" ("/tmp/q/fat/dir.c"), "i" (1253), "i" (0), "i" (sizeof(struct bug_entry))); } while (0); __builtin_unreachable(); } while (0); } while (0);

 err = fat_alloc_clusters(dir, cluster, *nr_cluster);
 if (err)
  goto error;






 i = n = copy = 0;
 do {
  start_blknr = blknr = fat_clus_to_blknr(sbi, cluster[i]);
  last_blknr = start_blknr + sbi->sec_per_clus;
  while (blknr < last_blknr) {
   bhs[n] = sb_getblk(sb, blknr);
   if (!bhs[n]) {
    err = -12;
    goto error_nomem;
   }


   copy = ({ __auto_type __UNIQUE_ID_x_628 = (size); __auto_type __UNIQUE_ID_y_629 = (sb->s_blocksize); do { __attribute__((__noreturn__)) extern void __compiletime_assert_630(void) __attribute__((__error__("min""(""size"", ""sb->s_blocksize"") signedness error"))); if (!(!(!(((((typeof(__UNIQUE_ID_x_628))(-1)) < ( typeof(__UNIQUE_ID_x_628))1) ? (2 + (__builtin_constant_p((long long)(__UNIQUE_ID_x_628) >= 0) && ((long long)(__UNIQUE_ID_x_628) >= 0))) : (1 + 2 * (sizeof(__UNIQUE_ID_x_628) < 4))) & ((((typeof(__UNIQUE_ID_y_629))(-1)) < ( typeof(__UNIQUE_ID_y_629))1) ? (2 + (__builtin_constant_p((long long)(__UNIQUE_ID_y_629) >= 0) && ((long long)(__UNIQUE_ID_y_629) >= 0))) : (1 + 2 * (sizeof(__UNIQUE_ID_y_629) < 4))))))) __compiletime_assert_630(); } while (0); ((__UNIQUE_ID_x_628) < (__UNIQUE_ID_y_629) ? (__UNIQUE_ID_x_628) : (__UNIQUE_ID_y_629)); });

   lock_buffer(bhs[n]);
   ({ const size_t __fortify_size = (size_t)(copy); const size_t __p_size = (__builtin_dynamic_object_size(bhs[n]->b_data, 0)); const size_t __q_size = (__builtin_dynamic_object_size(slots, 0)); const size_t __p_size_field = (__builtin_dynamic_object_size(bhs[n]->b_data, 1)); const size_t __q_size_field = (__builtin_dynamic_object_size(slots, 1)); ({ bool __ret_do_once = !!(fortify_memcpy_chk(__fortify_size, __p_size, __q_size, __p_size_field, __q_size_field, FORTIFY_FUNC_memcpy)); if (({ static bool __attribute__((__section__(".data..once"))) __already_done; bool __ret_cond = !!(__ret_do_once); bool __ret_once = false; if (__builtin_expect(!!(__ret_cond && !__already_done), 0)) { __already_done = true; __ret_once = true; } __builtin_expect(!!(__ret_once), 0); })) ({ int __ret_warn_on = !!(1); if (__builtin_expect(!!(__ret_warn_on), 0)) do { do { } while(0); __warn_printk("memcpy" ": detected field-spanning write (size %zu) of single %s (size %zu)\n", __fortify_size, "field \"" "bhs[n]->b_data" "\" at " "/tmp/q/fat/dir.c" ":" "1279", __p_size_field); do { __auto_type __flags = (1 << 0)|((1 << 3) | ((9) << 8)); do { } while(0); do { asm __inline volatile("1:\t" ".byte 0x0f, 0x0b" "\n" ".pushsection __bug_table,\"aw\"\n" "2:\t" ".long " "1b" " - ." "\t# bug_entry::bug_addr\n" "\t" ".long " "%c0" " - ." "\t# bug_entry::file\n" "\t.word %c1" "\t# bug_entry::line\n" "\t.word %c2" "\t# bug_entry::flags\n" "\t.org 2b+%c3\n" ".popsection\n" "998:\n\t" ".pushsection .discard.reachable\n\t" ".long 998b\n\t" ".popsection\n\t" : : "i" ("/tmp/q/fat/dir.c"), "i" (1279), "i" (__flags), "i" (sizeof(struct bug_entry))); } while (0); do { } while(0); } while (0); do { } while(0); } while (0); __builtin_expect(!!(__ret_warn_on), 0); }); __builtin_expect(!!(__ret_do_once), 0); }); __builtin_memcpy(bhs[n]->b_data, slots, __fortify_size); });
   set_buffer_uptodate(bhs[n]);
   unlock_buffer(bhs[n]);
   mark_buffer_dirty_inode(bhs[n], dir);
   slots += copy;
   size -= copy;
   if (!size)
    break;
   n++;
   blknr++;
  }
 } while (++i < *nr_cluster);

 ({ size_t __fortify_size = (size_t)(sb->s_blocksize - copy); fortify_memset_chk(__fortify_size, __builtin_dynamic_object_size(bhs[n]->b_data + copy, 0), __builtin_dynamic_object_size(bhs[n]->b_data + copy, 1)), __builtin_memset(bhs[n]->b_data + copy, 0, __fortify_size); });
 offset = copy - sizeof(struct msdos_dir_entry);
 get_bh(bhs[n]);
 *bh = bhs[n];
 *de = (struct msdos_dir_entry *)((*bh)->b_data + offset);
 *i_pos = fat_make_i_pos(sb, *bh, *de);


 err = fat_zeroed_cluster(dir, start_blknr, ++n, bhs, (((1UL) << 12) / 512));
 if (err)
  goto error_free;

 return cluster[0];

error_free:
 brelse(*bh);
 *bh = ((void *)0);
 n = 0;
error_nomem:
 for (i = 0; i < n; i++)
  bforget(bhs[i]);
 fat_free_clusters(dir, cluster[0]);
error:
 return err;
}

int fat_add_entries(struct inode *dir, void *slots, int nr_slots,
      struct fat_slot_info *sinfo)
{
 struct super_block *sb = dir->i_sb;
 struct msdos_sb_info *sbi = MSDOS_SB(sb);
 struct buffer_head *bh, *prev, *bhs[3];
 struct msdos_dir_entry *de;
 int err, free_slots, i, nr_bhs;
 loff_t pos, i_pos;
 bool saw_eod;

 sinfo->nr_slots = nr_slots;


 free_slots = nr_bhs = 0;
 bh = prev = ((void *)0);
 pos = 0;
 err = -28;
 saw_eod = false;
 while (fat_get_entry(dir, &pos, &bh, &de) > -1) {

  if (pos >= ((65536) << 5))
   goto error;

  if ((!*(de->name) || *(de->name) == 0xe5)) {
   if (de->name[0] == 0)
    saw_eod = true;
   if (prev != bh) {
    get_bh(bh);
    bhs[nr_bhs] = prev = bh;
    nr_bhs++;
   }
   free_slots++;
   if (free_slots == nr_slots)
    goto found;
  } else {
   if (saw_eod) {
    __fat_fs_error(sb, ___ratelimit(&MSDOS_SB(sb)->ratelimit, __func__), "allocated dir entry found after end-of-directory marker (i_pos %lld)" , MSDOS_I(dir)->i_pos)

                         ;
    err = -5;
    goto error;
   }
   for (i = 0; i < nr_bhs; i++)
    brelse(bhs[i]);
   prev = ((void *)0);
   free_slots = nr_bhs = 0;
  }
 }
 if (dir->i_ino == 1) {
  if (!is_fat32(sbi))
   goto error;
 } else if (MSDOS_I(dir)->i_start == 0) {
  do { do {} while (0); _fat_msg(sb, "\001" "3", "Corrupted directory (i_pos %lld)", MSDOS_I(dir)->i_pos); } while (0)
                             ;
  err = -5;
  goto error;
 }

found:
 err = 0;
 pos -= free_slots * sizeof(*de);
 nr_slots -= free_slots;
 if (free_slots) {





  int size = free_slots * sizeof(*de);
  int offset = pos & (sb->s_blocksize - 1);
  int long_bhs = nr_bhs - (nr_slots == 0);


  for (i = 0; i < long_bhs; i++) {
   int copy = ({ int __UNIQUE_ID_x_631 = (sb->s_blocksize - offset); int __UNIQUE_ID_y_632 = (size); ((__UNIQUE_ID_x_631) < (__UNIQUE_ID_y_632) ? (__UNIQUE_ID_x_631) : (__UNIQUE_ID_y_632)); });
   ({ const size_t __fortify_size = (size_t)(copy); const size_t __p_size = (__builtin_dynamic_object_size(bhs[i]->b_data + offset, 0)); const size_t __q_size = (__builtin_dynamic_object_size(slots, 0)); const size_t __p_size_field = (__builtin_dynamic_object_size(bhs[i]->b_data + offset, 1)); const size_t __q_size_field = (__builtin_dynamic_object_size(slots, 1)); ({ bool __ret_do_once = !!(fortify_memcpy_chk(__fortify_size, __p_size, __q_size, __p_size_field, __q_size_field, FORTIFY_FUNC_memcpy)); if (({ static bool __attribute__((__section__(".data..once"))) __already_done; bool __ret_cond = !!(__ret_do_once); bool __ret_once = false; if (__builtin_expect(!!(__ret_cond && !__already_done), 0)) { __already_done = true; __ret_once = true; } __builtin_expect(!!(__ret_once), 0); })) ({ int __ret_warn_on = !!(1); if (__builtin_expect(!!(__ret_warn_on), 0)) do { do { } while(0); __warn_printk("memcpy" ": detected field-spanning write (size %zu) of single %s (size %zu)\n", __fortify_size, "field \"" "bhs[i]->b_data + offset" "\" at " "/tmp/q/fat/dir.c" ":" "1394", __p_size_field); do { __auto_type __flags = (1 << 0)|((1 << 3) | ((9) << 8)); do { } while(0); do { asm __inline volatile("1:\t" ".byte 0x0f, 0x0b" "\n" ".pushsection __bug_table,\"aw\"\n" "2:\t" ".long " "1b" " - ." "\t# bug_entry::bug_addr\n" "\t" ".long " "%c0" " - ." "\t# bug_entry::file\n" "\t.word %c1" "\t# bug_entry::line\n" "\t.word %c2" "\t# bug_entry::flags\n" "\t.org 2b+%c3\n" ".popsection\n" "998:\n\t" ".pushsection .discard.reachable\n\t" ".long 998b\n\t" ".popsection\n\t" : : "i" ("/tmp/q/fat/dir.c"), "i" (1394), "i" (__flags), "i" (sizeof(struct bug_entry))); } while (0); do { } while(0); } while (0); do { } while(0); } while (0); __builtin_expect(!!(__ret_warn_on), 0); }); __builtin_expect(!!(__ret_do_once), 0); }); __builtin_memcpy(bhs[i]->b_data + offset, slots, __fortify_size); });
   mark_buffer_dirty_inode(bhs[i], dir);
   offset = 0;
   slots += copy;
   size -= copy;
  }
  if (long_bhs && (((dir)->i_sb->s_flags & (((((1UL))) << (4))|((((1UL))) << (7)))) || ((dir)->i_flags & ((1 << 0)|(1 << 6)))))
   err = fat_sync_bhs(bhs, long_bhs);
  if (!err && i < nr_bhs) {

   int copy = ({ int __UNIQUE_ID_x_633 = (sb->s_blocksize - offset); int __UNIQUE_ID_y_634 = (size); ((__UNIQUE_ID_x_633) < (__UNIQUE_ID_y_634) ? (__UNIQUE_ID_x_633) : (__UNIQUE_ID_y_634)); });
   ({ const size_t __fortify_size = (size_t)(copy); const size_t __p_size = (__builtin_dynamic_object_size(bhs[i]->b_data + offset, 0)); const size_t __q_size = (__builtin_dynamic_object_size(slots, 0)); const size_t __p_size_field = (__builtin_dynamic_object_size(bhs[i]->b_data + offset, 1)); const size_t __q_size_field = (__builtin_dynamic_object_size(slots, 1)); ({ bool __ret_do_once = !!(fortify_memcpy_chk(__fortify_size, __p_size, __q_size, __p_size_field, __q_size_field, FORTIFY_FUNC_memcpy)); if (({ static bool __attribute__((__section__(".data..once"))) __already_done; bool __ret_cond = !!(__ret_do_once); bool __ret_once = false; if (__builtin_expect(!!(__ret_cond && !__already_done), 0)) { __already_done = true; __ret_once = true; } __builtin_expect(!!(__ret_once), 0); })) ({ int __ret_warn_on = !!(1); if (__builtin_expect(!!(__ret_warn_on), 0)) do { do { } while(0); __warn_printk("memcpy" ": detected field-spanning write (size %zu) of single %s (size %zu)\n", __fortify_size, "field \"" "bhs[i]->b_data + offset" "\" at " "/tmp/q/fat/dir.c" ":" "1405", __p_size_field); do { __auto_type __flags = (1 << 0)|((1 << 3) | ((9) << 8)); do { } while(0); do { asm __inline volatile("1:\t" ".byte 0x0f, 0x0b" "\n" ".pushsection __bug_table,\"aw\"\n" "2:\t" ".long " "1b" " - ." "\t# bug_entry::bug_addr\n" "\t" ".long " "%c0" " - ." "\t# bug_entry::file\n" "\t.word %c1" "\t# bug_entry::line\n" "\t.word %c2" "\t# bug_entry::flags\n" "\t.org 2b+%c3\n" ".popsection\n" "998:\n\t" ".pushsection .discard.reachable\n\t" ".long 998b\n\t" ".popsection\n\t" : : "i" ("/tmp/q/fat/dir.c"), "i" (1405), "i" (__flags), "i" (sizeof(struct bug_entry))); } while (0); do { } while(0); } while (0); do { } while(0); } while (0); __builtin_expect(!!(__ret_warn_on), 0); }); __builtin_expect(!!(__ret_do_once), 0); }); __builtin_memcpy(bhs[i]->b_data + offset, slots, __fortify_size); });
   mark_buffer_dirty_inode(bhs[i], dir);
   if ((((dir)->i_sb->s_flags & (((((1UL))) << (4))|((((1UL))) << (7)))) || ((dir)->i_flags & ((1 << 0)|(1 << 6)))))
    err = sync_dirty_buffer(bhs[i]);
  }
  for (i = 0; i < nr_bhs; i++)
   brelse(bhs[i]);
  if (err)
   goto error_remove;
 }

 if (nr_slots) {
  int cluster, nr_cluster;






  cluster = fat_add_new_entries(dir, slots, nr_slots, &nr_cluster,
           &de, &bh, &i_pos);
  if (cluster < 0) {
   err = cluster;
   goto error_remove;
  }
  err = fat_chain_add(dir, cluster, nr_cluster);
  if (err) {
   fat_free_clusters(dir, cluster);
   goto error_remove;
  }
  if (dir->i_size & (sbi->cluster_size - 1)) {
   __fat_fs_error(sb, 1, "Odd directory size");
   dir->i_size = (dir->i_size + sbi->cluster_size - 1)
    & ~((loff_t)sbi->cluster_size - 1);
  }
  dir->i_size += nr_cluster << sbi->cluster_bits;
  MSDOS_I(dir)->mmu_private += nr_cluster << sbi->cluster_bits;
 }
 sinfo->slot_off = pos;
 sinfo->de = de;
 sinfo->bh = bh;
 sinfo->i_pos = fat_make_i_pos(sb, sinfo->bh, sinfo->de);

 return 0;

error:
 brelse(bh);
 for (i = 0; i < nr_bhs; i++)
  brelse(bhs[i]);
 return err;

error_remove:
 brelse(bh);
 if (free_slots)
  __fat_remove_entries(dir, pos, free_slots);
 return err;
}
__GENKSYMS_EXPORT_SYMBOL(fat_add_entries);
