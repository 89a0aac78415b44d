# 0 "/tmp/q/fat/dir.c"
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
# 22 "/tmp/q/fat/dir.c" 2
# 1 "/tmp/q/fat/fat.h" 1
# 12 "/tmp/q/fat/fat.h" 2
# 29 "/tmp/q/fat/fat.h"
struct fat_mount_options {
 kuid_t fs_uid;
 kgid_t fs_gid;
 unsigned short fs_fmask;
 unsigned short fs_dmask;
 unsigned short codepage;
 int time_offset;
 char *iocharset;
 unsigned short shortname;
 unsigned char name_check;
 unsigned char errors;
 unsigned char nfs;
 unsigned short allow_utime;
 unsigned quiet:1,
   showexec:1,
   sys_immutable:1,
   dotsOK:1,
   isvfat:1,
   utf8:1,
   unicode_xlate:1,
   numtail:1,
   flush:1,
   nocase:1,
   usefree:1,
   tz_set:1,
   rodir:1,
   discard:1,
   dos1xfloppy:1,
   debug:1;
};







struct msdos_sb_info {
 unsigned short sec_per_clus;
 unsigned short cluster_bits;
 unsigned int cluster_size;
 unsigned char fats, fat_bits;
 unsigned short fat_start;
 unsigned long fat_length;
 unsigned long dir_start;
 unsigned short dir_entries;
 unsigned long data_start;
 unsigned long max_cluster;
 unsigned long root_cluster;
 unsigned long fsinfo_sector;
 struct mutex fat_lock;
 struct mutex nfs_build_inode_lock;
 struct mutex s_lock;
 unsigned int prev_free;
 unsigned int free_clusters;
 unsigned int free_clus_valid;
 struct fat_mount_options options;
 struct nls_table *nls_disk;
 struct nls_table *nls_io;
 const void *dir_ops;
 int dir_per_block;
 int dir_per_block_bits;
 unsigned int vol_id;

 int fatent_shift;
 const struct fatent_operations *fatent_ops;
 struct inode *fat_inode;
 struct inode *fsinfo_inode;

 struct ratelimit_state ratelimit;

 spinlock_t inode_hash_lock;
 struct hlist_head inode_hashtable[(1UL << 8)];

 spinlock_t dir_hash_lock;
 struct hlist_head dir_hashtable[(1UL << 8)];

 unsigned int dirty;
 struct callback_head rcu;
};






struct msdos_inode_info {
 spinlock_t cache_lru_lock;
 struct list_head cache_lru;
 int nr_caches;

 unsigned int cache_valid_id;


 loff_t mmu_private;

 int i_start;
 int i_logstart;
 int i_attrs;
 loff_t i_pos;
 struct hlist_node i_fat_hash;
 struct hlist_node i_dir_hash;
 struct rw_semaphore truncate_lock;
 struct timespec64 i_crtime;
 struct inode vfs_inode;
};

struct fat_slot_info {
 loff_t i_pos;
 loff_t slot_off;
 int nr_slots;
 struct msdos_dir_entry *de;
 struct buffer_head *bh;
};

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) struct msdos_sb_info *MSDOS_SB(struct super_block *sb)
{
 return sb->s_fs_info;
}





static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) bool is_fat12(const struct msdos_sb_info *sbi)
{
 return sbi->fat_bits == 12;
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) bool is_fat16(const struct msdos_sb_info *sbi)
{
 return sbi->fat_bits == 16;
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) bool is_fat32(const struct msdos_sb_info *sbi)
{
 return sbi->fat_bits == 32;
}


static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) u32 max_fat(struct super_block *sb)
{
 struct msdos_sb_info *sbi = MSDOS_SB(sb);

 return is_fat32(sbi) ? 0x0FFFFFF6 :
  is_fat16(sbi) ? 0xFFF4 : 0xFF4;
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) struct msdos_inode_info *MSDOS_I(struct inode *inode)
{
 return ({ void *__mptr = (void *)(inode); _Static_assert(__builtin_types_compatible_p(typeof(*(inode)), typeof(((struct msdos_inode_info *)0)->vfs_inode)) || __builtin_types_compatible_p(typeof(*(inode)), typeof(void)), "pointer type mismatch in container_of()"); ((struct msdos_inode_info *)(__mptr - __builtin_offsetof(struct msdos_inode_info, vfs_inode))); });
}
# 189 "/tmp/q/fat/fat.h"
static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) int fat_mode_can_hold_ro(struct inode *inode)
{
 struct msdos_sb_info *sbi = MSDOS_SB(inode->i_sb);
 umode_t mask;

 if ((((inode->i_mode) & 00170000) == 0040000)) {
  if (!sbi->options.rodir)
   return 0;
  mask = ~sbi->options.fs_dmask;
 } else
  mask = ~sbi->options.fs_fmask;

 if (!(mask & (00200|00020|00002)))
  return 0;
 return 1;
}


static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) umode_t fat_make_mode(struct msdos_sb_info *sbi,
       u8 attrs, umode_t mode)
{
 if (attrs & 1 && !((attrs & 16) && !sbi->options.rodir))
  mode &= ~(00200|00020|00002);

 if (attrs & 16)
  return (mode & ~sbi->options.fs_dmask) | 0040000;
 else
  return (mode & ~sbi->options.fs_fmask) | 0100000;
}


static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) u8 fat_make_attrs(struct inode *inode)
{
 u8 attrs = MSDOS_I(inode)->i_attrs;
 if ((((inode->i_mode) & 00170000) == 0040000))
  attrs |= 16;
 if (fat_mode_can_hold_ro(inode) && !(inode->i_mode & (00200|00020|00002)))
  attrs |= 1;
 return attrs;
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) void fat_save_attrs(struct inode *inode, u8 attrs)
{
 if (fat_mode_can_hold_ro(inode))
  MSDOS_I(inode)->i_attrs = attrs & (8 | 32 | 4 | 2);
 else
  MSDOS_I(inode)->i_attrs = attrs & ((8 | 32 | 4 | 2) | 1);
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) unsigned char fat_checksum(const __u8 *name)
{
 unsigned char s = name[0];
 s = (s<<7) + (s>>1) + name[1]; s = (s<<7) + (s>>1) + name[2];
 s = (s<<7) + (s>>1) + name[3]; s = (s<<7) + (s>>1) + name[4];
 s = (s<<7) + (s>>1) + name[5]; s = (s<<7) + (s>>1) + name[6];
 s = (s<<7) + (s>>1) + name[7]; s = (s<<7) + (s>>1) + name[8];
 s = (s<<7) + (s>>1) + name[9]; s = (s<<7) + (s>>1) + name[10];
 return s;
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) sector_t fat_clus_to_blknr(struct msdos_sb_info *sbi, int clus)
{
 return ((sector_t)clus - 2) * sbi->sec_per_clus
  + sbi->data_start;
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) void fat_get_blknr_offset(struct msdos_sb_info *sbi,
    loff_t i_pos, sector_t *blknr, int *offset)
{
 *blknr = i_pos >> sbi->dir_per_block_bits;
 *offset = i_pos & (sbi->dir_per_block - 1);
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) loff_t fat_i_pos_read(struct msdos_sb_info *sbi,
     struct inode *inode)
{
 loff_t i_pos;



 i_pos = MSDOS_I(inode)->i_pos;



 return i_pos;
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) void fat16_towchar(wchar_t *dst, const __u8 *src, size_t len)
{






 ({ const size_t __fortify_size = (size_t)(len * 2); const size_t __p_size = (__builtin_dynamic_object_size(dst, 0)); const size_t __q_size = (__builtin_dynamic_object_size(src, 0)); const size_t __p_size_field = (__builtin_dynamic_object_size(dst, 1)); const size_t __q_size_field = (__builtin_dynamic_object_size(src, 1)); ({ bool __ret_do_once = !!(fortify_memcpy_chk(__fortify_size, __p_size, __q_size, __p_size_field, __q_size_field, FORTIFY_FUNC_memcpy)); if (({ static bool __attribute__((__section__(".data..once"))) __already_done; bool __ret_cond = !!(__ret_do_once); bool __ret_once = false; if (__builtin_expect(!!(__ret_cond && !__already_done), 0)) { __already_done = true; __ret_once = true; } __builtin_expect(!!(__ret_once), 0); })) ({ int __ret_warn_on = !!(1); if (__builtin_expect(!!(__ret_warn_on), 0)) do { do { } while(0); __warn_printk("memcpy" ": detected field-spanning write (size %zu) of single %s (size %zu)\n", __fortify_size, "field \"" "dst" "\" at " "/tmp/q/fat/fat.h" ":" "284", __p_size_field); do { __auto_type __flags = (1 << 0)|((1 << 3) | ((9) << 8)); do { } while(0); do { asm __inline volatile("1:\t" ".byte 0x0f, 0x0b" "\n" ".pushsection __bug_table,\"aw\"\n" "2:\t" ".long " "1b" " - ." "\t# bug_entry::bug_addr\n" "\t" ".long " "%c0" " - ." "\t# bug_entry::file\n" "\t.word %c1" "\t# bug_entry::line\n" "\t.word %c2" "\t# bug_entry::flags\n" "\t.org 2b+%c3\n" ".popsection\n" "998:\n\t" ".pushsection .discard.reachable\n\t" ".long 998b\n\t" ".popsection\n\t" : : "i" ("/tmp/q/fat/fat.h"), "i" (284), "i" (__flags), "i" (sizeof(struct bug_entry))); } while (0); do { } while(0); } while (0); do { } while(0); } while (0); __builtin_expect(!!(__ret_warn_on), 0); }); __builtin_expect(!!(__ret_do_once), 0); }); __builtin_memcpy(dst, src, __fortify_size); });

}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) int fat_get_start(const struct msdos_sb_info *sbi,
    const struct msdos_dir_entry *de)
{
 int cluster = (( __u16)(__le16)(de->start));
 if (is_fat32(sbi))
  cluster |= ((( __u16)(__le16)(de->starthi)) << 16);
 return cluster;
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) void fat_set_start(struct msdos_dir_entry *de, int cluster)
{
 de->start = (( __le16)(__u16)(cluster));
 de->starthi = (( __le16)(__u16)(cluster >> 16));
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) void fatwchar_to16(__u8 *dst, const wchar_t *src, size_t len)
{
# 313 "/tmp/q/fat/fat.h"
 ({ const size_t __fortify_size = (size_t)(len * 2); const size_t __p_size = (__builtin_dynamic_object_size(dst, 0)); const size_t __q_size = (__builtin_dynamic_object_size(src, 0)); const size_t __p_size_field = (__builtin_dynamic_object_size(dst, 1)); const size_t __q_size_field = (__builtin_dynamic_object_size(src, 1)); ({ bool __ret_do_once = !!(fortify_memcpy_chk(__fortify_size, __p_size, __q_size, __p_size_field, __q_size_field, FORTIFY_FUNC_memcpy)); if (({ static bool __attribute__((__section__(".data..once"))) __already_done; bool __ret_cond = !!(__ret_do_once); bool __ret_once = false; if (__builtin_expect(!!(__ret_cond && !__already_done), 0)) { __already_done = true; __ret_once = true; } __builtin_expect(!!(__ret_once), 0); })) ({ int __ret_warn_on = !!(1); if (__builtin_expect(!!(__ret_warn_on), 0)) do { do { } while(0); __warn_printk("memcpy" ": detected field-spanning write (size %zu) of single %s (size %zu)\n", __fortify_size, "field \"" "dst" "\" at " "/tmp/q/fat/fat.h" ":" "313", __p_size_field); do { __auto_type __flags = (1 << 0)|((1 << 3) | ((9) << 8)); do { } while(0); do { asm __inline volatile("1:\t" ".byte 0x0f, 0x0b" "\n" ".pushsection __bug_table,\"aw\"\n" "2:\t" ".long " "1b" " - ." "\t# bug_entry::bug_addr\n" "\t" ".long " "%c0" " - ." "\t# bug_entry::file\n" "\t.word %c1" "\t# bug_entry::line\n" "\t.word %c2" "\t# bug_entry::flags\n" "\t.org 2b+%c3\n" ".popsection\n" "998:\n\t" ".pushsection .discard.reachable\n\t" ".long 998b\n\t" ".popsection\n\t" : : "i" ("/tmp/q/fat/fat.h"), "i" (313), "i" (__flags), "i" (sizeof(struct bug_entry))); } while (0); do { } while(0); } while (0); do { } while(0); } while (0); __builtin_expect(!!(__ret_warn_on), 0); }); __builtin_expect(!!(__ret_do_once), 0); }); __builtin_memcpy(dst, src, __fortify_size); });

}


extern void fat_cache_inval_inode(struct inode *inode);
extern int fat_get_cluster(struct inode *inode, int cluster,
      int *fclus, int *dclus);
extern int fat_get_mapped_cluster(struct inode *inode, sector_t sector,
      sector_t last_block,
      unsigned long *mapped_blocks, sector_t *bmap);
extern int fat_bmap(struct inode *inode, sector_t sector, sector_t *phys,
      unsigned long *mapped_blocks, int create, bool from_bmap);


extern const struct file_operations fat_dir_operations;
extern int fat_search_long(struct inode *inode, const unsigned char *name,
      int name_len, struct fat_slot_info *sinfo);
extern int fat_dir_empty(struct inode *dir);
extern int fat_subdirs(struct inode *dir);
extern int fat_scan(struct inode *dir, const unsigned char *name,
      struct fat_slot_info *sinfo);
extern int fat_scan_logstart(struct inode *dir, int i_logstart,
        struct fat_slot_info *sinfo);
extern int fat_get_dotdot_entry(struct inode *dir, struct buffer_head **bh,
    struct msdos_dir_entry **de);
extern int fat_alloc_new_dir(struct inode *dir, struct timespec64 *ts);
extern int fat_add_entries(struct inode *dir, void *slots, int nr_slots,
      struct fat_slot_info *sinfo);
extern int fat_remove_entries(struct inode *dir, struct fat_slot_info *sinfo);


struct fat_entry {
 int entry;
 union {
  u8 *ent12_p[2];
  __le16 *ent16_p;
  __le32 *ent32_p;
 } u;
 int nr_bhs;
 struct buffer_head *bhs[2];
 struct inode *fat_inode;
};

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) void fatent_init(struct fat_entry *fatent)
{
 fatent->nr_bhs = 0;
 fatent->entry = 0;
 fatent->u.ent32_p = ((void *)0);
 fatent->bhs[0] = fatent->bhs[1] = ((void *)0);
 fatent->fat_inode = ((void *)0);
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) void fatent_set_entry(struct fat_entry *fatent, int entry)
{
 fatent->entry = entry;
 fatent->u.ent32_p = ((void *)0);
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) void fatent_brelse(struct fat_entry *fatent)
{
 int i;
 fatent->u.ent32_p = ((void *)0);
 for (i = 0; i < fatent->nr_bhs; i++)
  brelse(fatent->bhs[i]);
 fatent->nr_bhs = 0;
 fatent->bhs[0] = fatent->bhs[1] = ((void *)0);
 fatent->fat_inode = ((void *)0);
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) bool fat_valid_entry(struct msdos_sb_info *sbi, int entry)
{
 return 2 <= entry && entry < sbi->max_cluster;
}

extern void fat_ent_access_init(struct super_block *sb);
extern int fat_ent_read(struct inode *inode, struct fat_entry *fatent,
   int entry);
extern int fat_ent_write(struct inode *inode, struct fat_entry *fatent,
    int new, int old, int wait);
extern int fat_alloc_clusters(struct inode *inode, int *cluster,
         int nr_cluster);
extern int fat_free_clusters(struct inode *inode, int cluster);
extern int fat_count_free_clusters(struct super_block *sb);
extern int fat_trim_fs(struct inode *inode, struct fstrim_range *range);


extern long fat_generic_ioctl(struct file *filp, unsigned int cmd,
         unsigned long arg);
extern const struct file_operations fat_file_operations;
extern const struct inode_operations fat_file_inode_operations;
extern int fat_setattr(struct mnt_idmap *idmap, struct dentry *dentry,
         struct iattr *attr);
extern void fat_truncate_blocks(struct inode *inode, loff_t offset);
extern int fat_getattr(struct mnt_idmap *idmap,
         const struct path *path, struct kstat *stat,
         u32 request_mask, unsigned int flags);
extern int fat_file_fsync(struct file *file, loff_t start, loff_t end,
     int datasync);


extern int fat_block_truncate_page(struct inode *inode, loff_t from);
extern void fat_attach(struct inode *inode, loff_t i_pos);
extern void fat_detach(struct inode *inode);
extern struct inode *fat_iget(struct super_block *sb, loff_t i_pos);
extern struct inode *fat_build_inode(struct super_block *sb,
   struct msdos_dir_entry *de, loff_t i_pos);
extern int fat_sync_inode(struct inode *inode);
extern int fat_fill_super(struct super_block *sb, struct fs_context *fc,
     void (*setup)(struct super_block *));
extern int fat_fill_inode(struct inode *inode, struct msdos_dir_entry *de);

extern int fat_flush_inodes(struct super_block *sb, struct inode *i1,
       struct inode *i2);

extern const struct fs_parameter_spec fat_param_spec[];
int fat_init_fs_context(struct fs_context *fc, bool is_vfat);
void fat_free_fc(struct fs_context *fc);

int fat_parse_param(struct fs_context *fc, struct fs_parameter *param,
      bool is_vfat);
int fat_reconfigure(struct fs_context *fc);

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) unsigned long fat_dir_hash(int logstart)
{
 return hash_32(logstart, 8);
}
extern int fat_add_cluster(struct inode *inode);


extern __attribute__((__format__(printf, 3, 4)))
void __fat_fs_error(struct super_block *sb, int report, const char *fmt, ...);
# 456 "/tmp/q/fat/fat.h"
__attribute__((__format__(printf, 3, 4)))
void _fat_msg(struct super_block *sb, const char *level, const char *fmt, ...);





extern int fat_clusters_flush(struct super_block *sb);
extern int fat_chain_add(struct inode *inode, int new_dclus, int nr_cluster);
extern void fat_time_fat2unix(struct msdos_sb_info *sbi, struct timespec64 *ts,
         __le16 __time, __le16 __date, u8 time_cs);
extern void fat_time_unix2fat(struct msdos_sb_info *sbi, struct timespec64 *ts,
         __le16 *time, __le16 *date, u8 *time_cs);
extern struct timespec64 fat_truncate_atime(const struct msdos_sb_info *sbi,
         const struct timespec64 *ts);
extern struct timespec64 fat_truncate_mtime(const struct msdos_sb_info *sbi,
         const struct timespec64 *ts);
extern int fat_truncate_time(struct inode *inode, struct timespec64 *now,
        int flags);
extern int fat_update_time(struct inode *inode, int flags);
extern int fat_sync_bhs(struct buffer_head **bhs, int nr_bhs);

int fat_cache_init(void);
void fat_cache_destroy(void);


extern const struct export_operations fat_export_ops;
extern const struct export_operations fat_export_ops_nostale;


typedef unsigned long long llu;
# 22 "/tmp/q/fat/dir.c" 2
# 36 "/tmp/q/fat/dir.c"
static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) unsigned char fat_tolower(unsigned char c)
{
 return ((c >= 'A') && (c <= 'Z')) ? c+32 : c;
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) loff_t fat_make_i_pos(struct super_block *sb,
        struct buffer_head *bh,
        struct msdos_dir_entry *de)
{
 return ((loff_t)bh->b_blocknr << MSDOS_SB(sb)->dir_per_block_bits)
  | (de - (struct msdos_dir_entry *)bh->b_data);
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) void fat_dir_readahead(struct inode *dir, sector_t iblock,
         sector_t phys)
{
 struct super_block *sb = dir->i_sb;
 struct msdos_sb_info *sbi = MSDOS_SB(sb);
 struct buffer_head *bh;
 int sec;


 if ((iblock & (sbi->sec_per_clus - 1)) || sbi->sec_per_clus == 1)
  return;

 if (!is_fat32(sbi) && (dir->i_ino == 1))
  return;

 bh = sb_find_get_block(sb, phys);
 if (bh == ((void *)0) || !buffer_uptodate(bh)) {
  for (sec = 0; sec < sbi->sec_per_clus; sec++)
   sb_breadahead(sb, phys + sec);
 }
 brelse(bh);
}
# 82 "/tmp/q/fat/dir.c"
static int fat__get_entry(struct inode *dir, loff_t *pos,
     struct buffer_head **bh, struct msdos_dir_entry **de)
{
 struct super_block *sb = dir->i_sb;
 sector_t phys, iblock;
 unsigned long mapped_blocks;
 int err, offset;

next:
 brelse(*bh);
 *bh = ((void *)0);
 iblock = *pos >> sb->s_blocksize_bits;
 err = fat_bmap(dir, iblock, &phys, &mapped_blocks, 0, false);
 if (err || !phys)
  return -1;

 fat_dir_readahead(dir, iblock, phys);

 *bh = sb_bread(sb, phys);
 if (*bh == ((void *)0)) {
  do { if (___ratelimit(&MSDOS_SB(sb)->ratelimit, __func__)) do { do {} while (0); _fat_msg(sb, "\001" "3", "Directory bread(block %llu) failed", (llu)phys); } while (0); } while (0)
                                                   ;

  *pos = (iblock + 1) << sb->s_blocksize_bits;
  goto next;
 }

 offset = *pos & (sb->s_blocksize - 1);
 *pos += sizeof(struct msdos_dir_entry);
 *de = (struct msdos_dir_entry *)((*bh)->b_data + offset);

 return 0;
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) int fat_get_entry(struct inode *dir, loff_t *pos,
    struct buffer_head **bh,
    struct msdos_dir_entry **de)
{

 if (*bh && *de &&
    (*de - (struct msdos_dir_entry *)(*bh)->b_data) <
    MSDOS_SB(dir->i_sb)->dir_per_block - 1) {
  *pos += sizeof(struct msdos_dir_entry);
  (*de)++;
  return 0;
 }
 return fat__get_entry(dir, pos, bh, de);
}
# 141 "/tmp/q/fat/dir.c"
static int fat_get_entry_eod(struct inode *dir, loff_t *pos,
        struct buffer_head **bh,
        struct msdos_dir_entry **de)
{
 int err = fat_get_entry(dir, pos, bh, de);

 if (err == 0 && (*de)->name[0] == 0) {
  brelse(*bh);
  *bh = ((void *)0);
  *pos = dir->i_size;
  return -1;
 }
 return err;
}
# 166 "/tmp/q/fat/dir.c"
static int uni16_to_x8(struct super_block *sb, unsigned char *ascii,
         const wchar_t *uni, int len, struct nls_table *nls)
{
 int uni_xlate = MSDOS_SB(sb)->options.unicode_xlate;
 const wchar_t *ip;
 wchar_t ec;
 unsigned char *op;
 int charlen;

 ip = uni;
 op = ascii;

 while (*ip && ((len - 6) > 0)) {
  ec = *ip++;
  charlen = nls->uni2char(ec, op, 6);
  if (charlen > 0) {
   op += charlen;
   len -= charlen;
  } else {
   if (uni_xlate == 1) {
    *op++ = ':';
    op = hex_byte_pack(op, ec >> 8);
    op = hex_byte_pack(op, ec);
    len -= 5;
   } else {
    *op++ = '?';
    len--;
   }
  }
 }

 if (__builtin_expect(!!(*ip), 0)) {
  do { do {} while (0); _fat_msg(sb, "\001" "4", "filename was truncated while converting."); } while (0)
                                              ;
 }

 *op = 0;
 return op - ascii;
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) int fat_uni_to_x8(struct super_block *sb, const wchar_t *uni,
    unsigned char *buf, int size)
{
 struct msdos_sb_info *sbi = MSDOS_SB(sb);
 if (sbi->options.utf8)
  return utf16s_to_utf8s(uni, ((21 - 1) * 13 + 1),
    UTF16_HOST_ENDIAN, buf, size);
 else
  return uni16_to_x8(sb, buf, uni, size, sbi->nls_io);
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) int
fat_short2uni(struct nls_table *t, unsigned char *c, int clen, wchar_t *uni)
{
 int charlen;

 charlen = t->char2uni(c, clen, uni);
 if (charlen < 0) {
  *uni = 0x003f;
  charlen = 1;
 }
 return charlen;
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) int
fat_short2lower_uni(struct nls_table *t, unsigned char *c,
      int clen, wchar_t *uni)
{
 int charlen;
 wchar_t wc;

 charlen = t->char2uni(c, clen, &wc);
 if (charlen < 0) {
  *uni = 0x003f;
  charlen = 1;
 } else if (charlen <= 1) {
  unsigned char nc = t->charset2lower[*c];

  if (!nc)
   nc = *c;

  charlen = t->char2uni(&nc, 1, uni);
  if (charlen < 0) {
   *uni = 0x003f;
   charlen = 1;
  }
 } else
  *uni = wc;

 return charlen;
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) int
fat_shortname2uni(struct nls_table *nls, unsigned char *buf, int buf_size,
    wchar_t *uni_buf, unsigned short opt, int lower)
{
 int len = 0;

 if (opt & 0x0001)
  len = fat_short2lower_uni(nls, buf, buf_size, uni_buf);
 else if (opt & 0x0002)
  len = fat_short2uni(nls, buf, buf_size, uni_buf);
 else if (opt & 0x0004) {
  if (lower)
   len = fat_short2lower_uni(nls, buf, buf_size, uni_buf);
  else
   len = fat_short2uni(nls, buf, buf_size, uni_buf);
 } else
  len = fat_short2uni(nls, buf, buf_size, uni_buf);

 return len;
}

static inline __attribute__((__gnu_inline__)) __attribute__((__unused__)) __attribute__((no_instrument_function)) int fat_name_match(struct msdos_sb_info *sbi,
     const unsigned char *a, int a_len,
     const unsigned char *b, int b_len)
{
 if (a_len != b_len)
  return 0;

 if (sbi->options.name_check != 's')
  return !nls_strnicmp(sbi->nls_io, a, b, a_len);
 else
  return !memcmp(a, b, a_len);
}

enum { PARSE_INVALID = 1, PARSE_NOT_LONGNAME, PARSE_EOF, };
# 316 "/tmp/q/fat/dir.c"
static int fat_parse_long(struct inode *dir, loff_t *pos,
     struct buffer_head **bh, struct msdos_dir_entry **de,
     wchar_t **unicode, unsigned char *nr_slots)
{
 struct msdos_dir_slot *ds;
 unsigned char id, slot, slots, alias_checksum;

 if (!*unicode) {
  *unicode = ({ ; ({ struct alloc_tag * __attribute__((__unused__)) _old = ((void *)0); typeof(kmem_cache_alloc_noprof(names_cachep, ((( gfp_t)(((((1UL))) << (___GFP_DIRECT_RECLAIM_BIT))|((((1UL))) << (___GFP_KSWAPD_RECLAIM_BIT)))) | (( gfp_t)((((1UL))) << (___GFP_IO_BIT))) | (( gfp_t)((((1UL))) << (___GFP_FS_BIT)))))) _res = kmem_cache_alloc_noprof(names_cachep, ((( gfp_t)(((((1UL))) << (___GFP_DIRECT_RECLAIM_BIT))|((((1UL))) << (___GFP_KSWAPD_RECLAIM_BIT)))) | (( gfp_t)((((1UL))) << (___GFP_IO_BIT))) | (( gfp_t)((((1UL))) << (___GFP_FS_BIT))))); do {} while (0); _res; }); });
  if (!*unicode) {
   brelse(*bh);
   return -12;
  }
 }
parse_long:
 ds = (struct msdos_dir_slot *)*de;
 id = ds->id;
 if (!(id & 0x40))
  return PARSE_INVALID;
 slots = id & ~0x40;
 if (slots > 20 || !slots)
  return PARSE_INVALID;
 *nr_slots = slots;
 alias_checksum = ds->alias_checksum;

 slot = slots;
 while (1) {
  int offset;

  slot--;
  offset = slot * 13;
  fat16_towchar(*unicode + offset, ds->name0_4, 5);
  fat16_towchar(*unicode + offset + 5, ds->name5_10, 6);
  fat16_towchar(*unicode + offset + 11, ds->name11_12, 2);

  if (ds->id & 0x40)
   (*unicode)[offset + 13] = 0;
  if (fat_get_entry_eod(dir, pos, bh, de) < 0)
   return PARSE_EOF;
  if (slot == 0)
   break;
  ds = (struct msdos_dir_slot *)*de;
  if (ds->attr != (1 | 2 | 4 | 8))
   return PARSE_NOT_LONGNAME;
  if ((ds->id & ~0x40) != slot)
   goto parse_long;
  if (ds->alias_checksum != alias_checksum)
   goto parse_long;
 }
 if ((*de)->name[0] == 0xe5)
  return PARSE_INVALID;
 if ((*de)->attr == (1 | 2 | 4 | 8))
  goto parse_long;
 if ((!*((*de)->name) || *((*de)->name) == 0xe5) || ((*de)->attr & 8))
  return PARSE_INVALID;
 if (fat_checksum((*de)->name) != alias_checksum)
  *nr_slots = 0;

 return 0;
}
# 386 "/tmp/q/fat/dir.c"
static int fat_parse_short(struct super_block *sb,
      const struct msdos_dir_entry *de,
      unsigned char *name, int dot_hidden)
{
 const struct msdos_sb_info *sbi = MSDOS_SB(sb);
 int isvfat = sbi->options.isvfat;
 int nocase = sbi->options.nocase;
 unsigned short opt_shortname = sbi->options.shortname;
 struct nls_table *nls_disk = sbi->nls_disk;
 wchar_t uni_name[14];
 unsigned char c, work[11];
 unsigned char *ptname = name;
 int chi, chl, i, j, k;
 int dotoffset = 0;
 int name_len = 0, uni_len = 0;

 if (!isvfat && dot_hidden && (de->attr & 2)) {
  *ptname++ = '.';
  dotoffset = 1;
 }

 ({ const size_t __fortify_size = (size_t)(sizeof(work)); const size_t __p_size = (__builtin_dynamic_object_size(work, 0)); const size_t __q_size = (__builtin_dynamic_object_size(de->name, 0)); const size_t __p_size_field = (__builtin_dynamic_object_size(work, 1)); const size_t __q_size_field = (__builtin_dynamic_object_size(de->name, 1)); ({ bool __ret_do_once = !!(fortify_memcpy_chk(__fortify_size, __p_size, __q_size, __p_size_field, __q_size_field, FORTIFY_FUNC_memcpy)); if (({ static bool __attribute__((__section__(".data..once"))) __already_done; bool __ret_cond = !!(__ret_do_once); bool __ret_once = false; if (__builtin_expect(!!(__ret_cond && !__already_done), 0)) { __already_done = true; __ret_once = true; } __builtin_expect(!!(__ret_once), 0); })) ({ int __ret_warn_on = !!(1); if (__builtin_expect(!!(__ret_warn_on), 0)) do { do { } while(0); __warn_printk("memcpy" ": detected field-spanning write (size %zu) of single %s (size %zu)\n", __fortify_size, "field \"" "work" "\" at " "/tmp/q/fat/dir.c" ":" "407", __p_size_field); do { __auto_type __flags = (1 << 0)|((1 << 3) | ((9) << 8)); do { } while(0); do { asm __inline volatile("1:\t" ".byte 0x0f, 0x0b" "\n" ".pushsection __bug_table,\"aw\"\n" "2:\t" ".long " "1b" " - ." "\t# bug_entry::bug_addr\n" "\t" ".long " "%c0" " - ." "\t# bug_entry::file\n" "\t.word %c1" "\t# bug_entry::line\n" "\t.word %c2" "\t# bug_entry::flags\n" "\t.org 2b+%c3\n" ".popsection\n" "998:\n\t" ".pushsection .discard.reachable\n\t" ".long 998b\n\t" ".popsection\n\t" : : "i" ("/tmp/q/fat/dir.c"), "i" (407), "i" (__flags), "i" (sizeof(struct bug_entry))); } while (0); do { } while(0); } while (0); do { } while(0); } while (0); __builtin_expect(!!(__ret_warn_on), 0); }); __builtin_expect(!!(__ret_do_once), 0); }); __builtin_memcpy(work, de->name, __fortify_size); });



 if (work[0] == 0x05)
  work[0] = 0xE5;


 for (i = 0, j = 0; i < 8;) {
  c = work[i];
  if (!c)
   break;
  chl = fat_shortname2uni(nls_disk, &work[i], 8 - i,
     &uni_name[j++], opt_shortname,
     de->lcase & 8);
  if (chl <= 1) {
   if (!isvfat)
    ptname[i] = nocase ? c : fat_tolower(c);
   i++;
   if (c != ' ') {
    name_len = i;
    uni_len = j;
   }
  } else {
   uni_len = j;
   if (isvfat)
    i += ({ __auto_type __UNIQUE_ID_x_622 = (chl); __auto_type __UNIQUE_ID_y_623 = (8-i); do { __attribute__((__noreturn__)) extern void __compiletime_assert_624(void) __attribute__((__error__("min""(""chl"", ""8-i"") signedness error"))); if (!(!(!(((((typeof(__UNIQUE_ID_x_622))(-1)) < ( typeof(__UNIQUE_ID_x_622))1) ? (2 + (__builtin_constant_p((long long)(__UNIQUE_ID_x_622) >= 0) && ((long long)(__UNIQUE_ID_x_622) >= 0))) : (1 + 2 * (sizeof(__UNIQUE_ID_x_622) < 4))) & ((((typeof(__UNIQUE_ID_y_623))(-1)) < ( typeof(__UNIQUE_ID_y_623))1) ? (2 + (__builtin_constant_p((long long)(__UNIQUE_ID_y_623) >= 0) && ((long long)(__UNIQUE_ID_y_623) >= 0))) : (1 + 2 * (sizeof(__UNIQUE_ID_y_623) < 4))))))) __compiletime_assert_624(); } while (0); ((__UNIQUE_ID_x_622) < (__UNIQUE_ID_y_623) ? (__UNIQUE_ID_x_622) : (__UNIQUE_ID_y_623)); });
   else {
    for (chi = 0; chi < chl && i < 8; chi++, i++)
     ptname[i] = work[i];
   }
   if (chl)
    name_len = i;
  }
 }

 i = name_len;
 j = uni_len;
 fat_short2uni(nls_disk, ".", 1, &uni_name[j++]);
 if (!isvfat)
  ptname[i] = '.';
 i++;


 for (k = 8; k < 11;) {
  c = work[k];
  if (!c)
   break;
  chl = fat_shortname2uni(nls_disk, &work[k], 11 - k,
     &uni_name[j++], opt_shortname,
     de->lcase & 16);
  if (chl <= 1) {
   k++;
   if (!isvfat)
    ptname[i] = nocase ? c : fat_tolower(c);
   i++;
   if (c != ' ') {
    name_len = i;
    uni_len = j;
   }
  } else {
   uni_len = j;
   if (isvfat) {
    int offset = ({ __auto_type __UNIQUE_ID_x_625 = (chl); __auto_type __UNIQUE_ID_y_626 = (11 -k); do { __attribute__((__noreturn__)) extern void __compiletime_assert_627(void) __attribute__((__error__("min""(""chl"", ""11-k"") signedness error"))); if (!(!(!(((((typeof(__UNIQUE_ID_x_625))(-1)) < ( typeof(__UNIQUE_ID_x_625))1) ? (2 + (__builtin_constant_p((long long)(__UNIQUE_ID_x_625) >= 0) && ((long long)(__UNIQUE_ID_x_625) >= 0))) : (1 + 2 * (sizeof(__UNIQUE_ID_x_625) < 4))) & ((((typeof(__UNIQUE_ID_y_626))(-1)) < ( typeof(__UNIQUE_ID_y_626))1) ? (2 + (__builtin_constant_p((long long)(__UNIQUE_ID_y_626) >= 0) && ((long long)(__UNIQUE_ID_y_626) >= 0))) : (1 + 2 * (sizeof(__UNIQUE_ID_y_626) < 4))))))) __compiletime_assert_627(); } while (0); ((__UNIQUE_ID_x_625) < (__UNIQUE_ID_y_626) ? (__UNIQUE_ID_x_625) : (__UNIQUE_ID_y_626)); });
    k += offset;
    i += offset;
   } else {
    for (chi = 0; chi < chl && k < 11;
         chi++, i++, k++) {
      ptname[i] = work[k];
    }
   }
   if (chl)
    name_len = i;
  }
 }

 if (name_len > 0) {
  name_len += dotoffset;

  if (sbi->options.isvfat) {
   uni_name[uni_len] = 0x0000;
   name_len = fat_uni_to_x8(sb, uni_name, name,
       ((11 + 1) * 6 + 1));
  }
 }

 return name_len;
}




int fat_search_long(struct inode *inode, const unsigned char *name,
      int name_len, struct fat_slot_info *sinfo)
{
 struct super_block *sb = inode->i_sb;
 struct msdos_sb_info *sbi = MSDOS_SB(sb);
 struct buffer_head *bh = ((void *)0);
 struct msdos_dir_entry *de;
 unsigned char nr_slots;
 wchar_t *unicode = ((void *)0);
 unsigned char bufname[((11 + 1) * 6 + 1)];
 loff_t cpos = 0;
 int err, len;

 err = -2;
 while (1) {
  if (fat_get_entry_eod(inode, &cpos, &bh, &de) == -1)
   goto end_of_dir;
parse_record:
  nr_slots = 0;
  if (de->name[0] == 0xe5)
   continue;
  if (de->attr != (1 | 2 | 4 | 8) && (de->attr & 8))
   continue;
  if (de->attr != (1 | 2 | 4 | 8) && (!*(de->name) || *(de->name) == 0xe5))
   continue;
  if (de->attr == (1 | 2 | 4 | 8)) {
   int status = fat_parse_long(inode, &cpos, &bh, &de,
          &unicode, &nr_slots);
   if (status < 0) {
    err = status;
    goto end_of_dir;
   } else if (status == PARSE_INVALID)
    continue;
   else if (status == PARSE_NOT_LONGNAME)
    goto parse_record;
   else if (status == PARSE_EOF)
    goto end_of_dir;
  }






  len = fat_parse_short(sb, de, bufname, 0);
  if (len == 0)
   continue;


  if (fat_name_match(sbi, name, name_len, bufname, len))
   goto found;

  if (nr_slots) {
   void *longname = unicode + ((21 - 1) * 13 + 1);
   int size = 4096 - (((21 - 1) * 13 + 1) * sizeof(wchar_t));


   len = fat_uni_to_x8(sb, unicode, longname, size);
   if (fat_name_match(sbi, name, name_len, longname, len))
    goto found;
  }
 }

found:
 nr_slots++;
 sinfo->slot_off = cpos - nr_slots * sizeof(*de);
 sinfo->nr_slots = nr_slots;
 sinfo->de = de;
 sinfo->bh = bh;
 sinfo->i_pos = fat_make_i_pos(sb, sinfo->bh, sinfo->de);
 err = 0;
end_of_dir:
 if (unicode)
  kmem_cache_free(names_cachep, (void *)(unicode));

 return err;
}
__GENKSYMS_EXPORT_SYMBOL(fat_search_long);

struct fat_ioctl_filldir_callback {
 struct dir_context ctx;
 void *dirent;
 int result;

 const char *longname;
 int long_len;
 const char *shortname;
 int short_len;
};

static int __fat_readdir(struct inode *inode, struct file *file,
    struct dir_context *ctx, int short_only,
    struct fat_ioctl_filldir_callback *both)
{
 struct super_block *sb = inode->i_sb;
 struct msdos_sb_info *sbi = MSDOS_SB(sb);
 struct buffer_head *bh;
 struct msdos_dir_entry *de;
 unsigned char nr_slots;
 wchar_t *unicode = ((void *)0);
 unsigned char bufname[((11 + 1) * 6 + 1)];
 int isvfat = sbi->options.isvfat;
 const char *fill_name = ((void *)0);
 int fake_offset = 0;
 loff_t cpos;
 int short_len = 0, fill_len = 0;
 int ret = 0;

 mutex_lock(&sbi->s_lock);

 cpos = ctx->pos;

 if (inode->i_ino == 1) {
  if (!dir_emit_dots(file, ctx))
   goto out;
  if (ctx->pos == 2) {
   fake_offset = 1;
   cpos = 0;
  }
 }
 if (cpos & (sizeof(struct msdos_dir_entry) - 1)) {
  ret = -2;
  goto out;
 }

 bh = ((void *)0);
get_new:
 if (fat_get_entry_eod(inode, &cpos, &bh, &de) == -1)
  goto end_of_dir;
parse_record:
 nr_slots = 0;




 if (isvfat && !short_only) {
  if (de->name[0] == 0xe5)
   goto record_end;
  if (de->attr != (1 | 2 | 4 | 8) && (de->attr & 8))
   goto record_end;
  if (de->attr != (1 | 2 | 4 | 8) && (!*(de->name) || *(de->name) == 0xe5))
   goto record_end;
 } else {
  if ((de->attr & 8) || (!*(de->name) || *(de->name) == 0xe5))
   goto record_end;
 }

 if (isvfat && de->attr == (1 | 2 | 4 | 8)) {
  int status = fat_parse_long(inode, &cpos, &bh, &de,
         &unicode, &nr_slots);
  if (status < 0) {
   bh = ((void *)0);
   ret = status;
   goto end_of_dir;
  } else if (status == PARSE_INVALID)
   goto record_end;
  else if (status == PARSE_NOT_LONGNAME)
   goto parse_record;
  else if (status == PARSE_EOF)
   goto end_of_dir;

  if (nr_slots) {
   void *longname = unicode + ((21 - 1) * 13 + 1);
   int size = 4096 - (((21 - 1) * 13 + 1) * sizeof(wchar_t));
   int len = fat_uni_to_x8(sb, unicode, longname, size);

   fill_name = longname;
   fill_len = len;

   if (!both)
    goto start_filldir;

   short_len = fat_parse_short(sb, de, bufname,
          sbi->options.dotsOK);
   if (short_len == 0)
    goto record_end;

   both->longname = fill_name;
   both->long_len = fill_len;
   both->shortname = bufname;
   both->short_len = short_len;
   fill_name = ((void *)0);
   fill_len = 0;
   goto start_filldir;
  }
 }

 short_len = fat_parse_short(sb, de, bufname, sbi->options.dotsOK);
 if (short_len == 0)
  goto record_end;

 fill_name = bufname;
 fill_len = short_len;

start_filldir:
 ctx->pos = cpos - (nr_slots + 1) * sizeof(struct msdos_dir_entry);
 if (fake_offset && ctx->pos < 2)
  ctx->pos = 2;

 if (!memcmp(de->name, ".          ", 11)) {
  if (!dir_emit_dot(file, ctx))
   goto fill_failed;
 } else if (!memcmp(de->name, "..         ", 11)) {
  if (!dir_emit_dotdot(file, ctx))
   goto fill_failed;
 } else {
  unsigned long inum;
  loff_t i_pos = fat_make_i_pos(sb, bh, de);
  struct inode *tmp = fat_iget(sb, i_pos);
  if (tmp) {
   inum = tmp->i_ino;
   iput(tmp);
  } else
   inum = iunique(sb, 1);
  if (!dir_emit(ctx, fill_name, fill_len, inum,
       (de->attr & 16) ? 4 : 8))
   goto fill_failed;
 }

record_end:
 fake_offset = 0;
 ctx->pos = cpos;
 goto get_new;

end_of_dir:
 if (fake_offset && cpos < 2)
  ctx->pos = 2;
 else
  ctx->pos = cpos;
fill_failed:
 brelse(bh);
 if (unicode)
  kmem_cache_free(names_cachep, (void *)(unicode));
out:
 mutex_unlock(&sbi->s_lock);

 return ret;
}

static int fat_readdir(struct file *file, struct dir_context *ctx)
{
 return __fat_readdir(file_inode(file), file, ctx, 0, ((void *)0));
}
# 796 "/tmp/q/fat/dir.c"
